namespace NotebookKit.Data.Transforms;

/// <summary>
/// How pixel values become network inputs: scale 0..255 to <see cref="Scale"/>, then subtract
/// <see cref="Mean"/> and divide by <see cref="Std"/> per channel, in <see cref="Order"/>.
/// Comes from the chosen weights (never typed by hand in a notebook).
/// </summary>
/// <param name="Mean">Per-channel mean, in the order of <see cref="Order"/>.</param>
/// <param name="Std">Per-channel standard deviation.</param>
/// <param name="Order">Channel order the network expects.</param>
/// <param name="Scale">Multiplier applied to 0..255 values before the mean: 1/255 for [0, 1] inputs, 1 for 0..255.</param>
public sealed record Normalization(float[] Mean, float[] Std, ChannelOrder Order = ChannelOrder.Rgb, float Scale = 1f / 255f)
{
    /// <summary>torchvision's ImageNet statistics (RGB, [0, 1] inputs).</summary>
    public static Normalization ImageNet { get; } = new([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    /// <summary>No normalization: RGB values in [0, 1].</summary>
    public static Normalization None { get; } = new([0f, 0f, 0f], [1f, 1f, 1f]);

    /// <summary>Per-channel (multiplier, offset) so that value = byte * multiplier + offset.</summary>
    internal (float Multiplier, float Offset)[] Affine() => Enumerable.Range(0, 3)
        .Select(c => (Scale / Std[c], -Mean[c] / Std[c]))
        .ToArray();

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Order.ToString().ToUpperInvariant()} x{Scale:G3}, mean [{string.Join(", ", Mean.Select(m => m.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)))}], std [{string.Join(", ", Std.Select(m => m.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)))}]";
}

/// <summary>The order of colour channels a network expects.</summary>
public enum ChannelOrder
{
    /// <summary>Red, green, blue (torchvision, timm).</summary>
    Rgb,
    /// <summary>Blue, green, red (Caffe- and CNTK-era weights).</summary>
    Bgr,
}
