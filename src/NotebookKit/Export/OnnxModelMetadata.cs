using System.Globalization;
using System.Text.Json;
using NotebookKit.Data.Transforms;

namespace NotebookKit.Export;

/// <summary>
/// What a consumer of an exported model needs to feed it, stored as the ONNX file's <c>metadata_props</c>
/// (ONNX Runtime: <c>session.ModelMetadata.CustomMetadataMap</c>). Keys and values are plain text; lists are JSON:
/// <list type="bullet">
/// <item><c>classes</c>: JSON array of class names, in output order.</item>
/// <item><c>input_size</c>: side of the square input (H = W); <c>resize_size</c>: shorter side to resize to before the
/// centre crop to <c>input_size</c>; <c>interpolation</c>: the resampling of that resize (<c>bilinear</c>).</item>
/// <item><c>input_layout</c>: <c>NCHW float32</c> (normalized values) or, with the preprocessing in the graph,
/// <c>NHWC uint8 RGB</c> (the cropped image's bytes).</item>
/// <item><c>channel_order</c>: <c>RGB</c>, <c>BGR</c> or <c>GRAY</c> (one channel: <c>gray_weights</c> · (R, G, B)).</item>
/// <item><c>scale</c>, <c>mean</c>, <c>std</c>: value = (byte · scale − mean[c]) / std[c], per channel in <c>channel_order</c>.</item>
/// <item><c>preprocessing_included</c>: <c>true</c> when the graph applies scale/mean/std (and channel order) itself.</item>
/// <item><c>architecture</c>, <c>last_stage</c>: what the network is (<c>resnet50</c>, truncated after <c>layer3</c>, ...).</item>
/// </list>
/// </summary>
/// <param name="Classes">Class names in output order.</param>
/// <param name="InputSize">Input side length.</param>
/// <param name="ResizeSize">Shorter side before the centre crop.</param>
/// <param name="Interpolation">Resampling of the resize.</param>
/// <param name="ChannelOrder"><c>RGB</c>, <c>BGR</c> or <c>GRAY</c>.</param>
/// <param name="Scale">Multiplier of byte values before the mean.</param>
/// <param name="Mean">Per-channel mean (1 or 3 values).</param>
/// <param name="Std">Per-channel standard deviation.</param>
/// <param name="PreprocessingIncluded">Whether the graph takes uint8 NHWC RGB and normalizes itself.</param>
/// <param name="Architecture">The kit's architecture name.</param>
/// <param name="LastStage">The last body stage kept (<c>layer4</c> unless truncated).</param>
public sealed record OnnxModelMetadata(IReadOnlyList<string> Classes, int InputSize, int ResizeSize, string Interpolation, string ChannelOrder,
    float Scale, IReadOnlyList<float> Mean, IReadOnlyList<float> Std, bool PreprocessingIncluded, string Architecture, string LastStage)
{
    /// <summary>ITU-R BT.601 luma weights (torchvision's Grayscale, PIL's "L"): how a 1-channel model's gray value is made from RGB.</summary>
    public static IReadOnlyList<float> GrayWeights { get; } = [0.299f, 0.587f, 0.114f];

    /// <summary>The graph input's name: <c>input</c> (floats) or <c>image</c> (bytes, preprocessing included).</summary>
    public string InputName => PreprocessingIncluded ? "image" : "input";

    /// <summary>The graph output's name (raw scores; softmax gives probabilities).</summary>
    public const string OutputName = "logits";

    /// <summary>Channels the network itself takes (3, or 1 for a grayscale model).</summary>
    public int Channels => ChannelOrder == "GRAY" ? 1 : 3;

    /// <summary>
    /// The metadata for a model trained with <paramref name="normalization"/>. For a 1-channel model the three
    /// channels' statistics are averaged (its input is the luma of the RGB image, see <see cref="GrayWeights"/>).
    /// </summary>
    public static OnnxModelMetadata For(IReadOnlyList<string> classes, int inputSize, int resizeSize, string interpolation, Normalization normalization,
        int channels, bool preprocessingIncluded, string architecture, string lastStage) => channels == 1
        ? new(classes, inputSize, resizeSize, interpolation, "GRAY", normalization.Scale, [normalization.Mean.Average()], [normalization.Std.Average()], preprocessingIncluded, architecture, lastStage)
        : new(classes, inputSize, resizeSize, interpolation, normalization.Order.ToString().ToUpperInvariant(), normalization.Scale, normalization.Mean, normalization.Std, preprocessingIncluded, architecture, lastStage);

    /// <summary>The kit's normalization for a 3-channel model (the same numbers the training pipeline used).</summary>
    public Normalization Normalization => Channels == 1
        ? new Normalization([Mean[0], Mean[0], Mean[0]], [Std[0], Std[0], Std[0]], Data.Transforms.ChannelOrder.Rgb, Scale)
        : new Normalization([.. Mean], [.. Std], ChannelOrder == "BGR" ? Data.Transforms.ChannelOrder.Bgr : Data.Transforms.ChannelOrder.Rgb, Scale);

    /// <summary>The kit's evaluation pipeline for these numbers: resize the shorter side, centre-crop, normalize.</summary>
    public ImagePipeline Pipeline => ImagePipeline.Eval(ResizeSize, InputSize, Normalization);

    /// <summary>Per channel of the network's input, value = byte · Multiplier + Offset.</summary>
    public IReadOnlyList<(float Multiplier, float Offset)> Affine => Enumerable.Range(0, Channels).Select(c => (Scale / Std[c], -Mean[c] / Std[c])).ToList();

    /// <summary>The key/value pairs stored in the file.</summary>
    public IReadOnlyDictionary<string, string> ToProperties()
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["classes"] = JsonSerializer.Serialize(Classes),
            ["input_size"] = Number(InputSize),
            ["resize_size"] = Number(ResizeSize),
            ["interpolation"] = Interpolation,
            ["input_layout"] = PreprocessingIncluded ? "NHWC uint8 RGB" : "NCHW float32",
            ["channel_order"] = ChannelOrder,
            ["scale"] = Number(Scale),
            ["mean"] = JsonSerializer.Serialize(Mean),
            ["std"] = JsonSerializer.Serialize(Std),
            ["preprocessing_included"] = PreprocessingIncluded ? "true" : "false",
            ["architecture"] = Architecture,
            ["last_stage"] = LastStage,
        };
        if (Channels == 1) properties["gray_weights"] = JsonSerializer.Serialize(GrayWeights);
        return properties;
    }

    /// <summary>Reads the pairs back (from ONNX Runtime's <c>CustomMetadataMap</c>); <paramref name="source"/> names the file in errors.</summary>
    /// <exception cref="InvalidDataException">A key is missing or unreadable: the file was not written by the kit's exporter.</exception>
    public static OnnxModelMetadata FromProperties(IReadOnlyDictionary<string, string> properties, string source)
    {
        string Get(string key) => properties.TryGetValue(key, out var value) ? value
            : throw new InvalidDataException($"{source}: no '{key}' in the model's metadata; export it with `nbkit export` (or ModelExport.ToOnnx), which records how to feed it.");
        T Parse<T>(string key, Func<string, T> parse)
        {
            try { return parse(Get(key)); }
            catch (Exception e) when (e is FormatException or JsonException or OverflowException)
            {
                throw new InvalidDataException($"{source}: metadata '{key}' = '{Get(key)}' is not readable ({e.Message}).", e);
            }
        }
        float[] Floats(string key) => Parse(key, v => JsonSerializer.Deserialize<float[]>(v) ?? throw new FormatException("null"));
        var order = Get("channel_order");
        if (order is not ("RGB" or "BGR" or "GRAY")) throw new InvalidDataException($"{source}: metadata channel_order = '{order}'; expected RGB, BGR or GRAY.");
        return new OnnxModelMetadata(
            Parse("classes", v => JsonSerializer.Deserialize<string[]>(v) ?? throw new FormatException("null")),
            Parse("input_size", v => int.Parse(v, CultureInfo.InvariantCulture)),
            Parse("resize_size", v => int.Parse(v, CultureInfo.InvariantCulture)),
            Get("interpolation"), order,
            Parse("scale", v => float.Parse(v, CultureInfo.InvariantCulture)),
            Floats("mean"), Floats("std"),
            Get("preprocessing_included") == "true",
            Get("architecture"), Get("last_stage"));
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Architecture} (to {LastStage}), {Classes.Count} classes, input {(PreprocessingIncluded ? $"uint8 RGB {InputSize}x{InputSize}x3" : $"float {Channels}x{InputSize}x{InputSize}")}"
        + $" after resize {ResizeSize} + centre crop; {ChannelOrder} x{Scale.ToString("G4", CultureInfo.InvariantCulture)}, mean [{Join(Mean)}], std [{Join(Std)}]"
        + (PreprocessingIncluded ? " (in the graph)" : "");

    static string Join(IEnumerable<float> values) => string.Join(", ", values.Select(v => v.ToString("G4", CultureInfo.InvariantCulture)));

    static string Number(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
