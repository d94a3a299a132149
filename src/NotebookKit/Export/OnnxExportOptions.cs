using NotebookKit.Models.Weights;

namespace NotebookKit.Export;

/// <summary>How <see cref="ModelExport.ToOnnx"/> writes a model. Every default is stated here.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>Class names in output order, stored in the metadata. Default: none, stored as "0", "1", ….</summary>
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>The preprocessing the model was trained with (resize, crop, normalization). Default: <see cref="Preprocessing.ImageNetDefault"/>.</summary>
    public Preprocessing Preprocessing { get; init; } = Preprocessing.ImageNetDefault;

    /// <summary>Input side length (H = W) the graph takes. Default: <see cref="Preprocessing"/>'s crop size (224 for the registry's weights).
    /// The resize before the crop keeps the weights' ratio (<see cref="Preprocessing.Eval(int)"/>).</summary>
    public int? ImageSize { get; init; }

    /// <summary>ONNX opset, 13 to 21. Default 13 (ONNX 1.8, 2020), for the widest reach: the operators used mean the same in all of them.</summary>
    public int Opset { get; init; } = 13;

    /// <summary>The opsets the exporter writes: 13 to 21.</summary>
    public static NumberRange Opsets { get; } = NumberRange.Integers("ONNX opsets the exporter writes", OnnxModelWriter.MinOpset, OnnxModelWriter.MaxOpset);

    /// <summary>Bake the normalization into the graph, which then takes uint8 RGB N x H x W x 3 (the cropped image's bytes). Default false: N x C x H x W normalized floats.</summary>
    public bool IncludePreprocessing { get; init; }
}
