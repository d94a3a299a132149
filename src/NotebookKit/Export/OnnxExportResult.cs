using System.Globalization;

namespace NotebookKit.Export;

/// <summary>What <see cref="ModelExport.ToOnnx"/> wrote.</summary>
/// <param name="Path">The file.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Opset">The ONNX opset.</param>
/// <param name="Operators">The distinct ONNX operators of the graph, sorted.</param>
/// <param name="Metadata">What the file's metadata says about feeding it.</param>
public sealed record OnnxExportResult(string Path, long Bytes, int Opset, IReadOnlyList<string> Operators, OnnxModelMetadata Metadata)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"{Path}: {(Bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture)} MB, opset {Opset}, operators {string.Join(", ", Operators)}; {Metadata}";
}
