using static TorchSharp.torch;

namespace NotebookKit.Models;

/// <summary>
/// Subtracts a per-pixel mean image (CNTK-era preprocessing, e.g. ML.NET's ResNet18: BGR 0..255 minus a
/// 224x224 mean image). At other input sizes the mean image is resized bilinearly. Its buffer is saved with
/// the model as <c>preprocess.mean_image</c>.
/// </summary>
public sealed class MeanImageSubtraction : nn.Module<Tensor, Tensor>
{
    readonly Tensor mean_image;

    /// <summary>Creates the module around a 1 x C x H x W mean image (copied).</summary>
    public MeanImageSubtraction(Tensor meanImage) : base(nameof(MeanImageSubtraction))
    {
        if (meanImage.dim() != 4 || meanImage.shape[0] != 1)
            throw new ArgumentException($"Expected a 1 x C x H x W mean image, got [{string.Join("x", meanImage.shape)}].", nameof(meanImage));
        using (var scope = NewDisposeScope()) mean_image = meanImage.detach().clone().MoveToOuterDisposeScope();
        register_buffer("mean_image", mean_image);
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        if (input.shape[2] == mean_image.shape[2] && input.shape[3] == mean_image.shape[3]) return input - mean_image;
        using var resized = MeanAt(input.shape[2], input.shape[3]);
        return input - resized;
    }

    /// <summary>The mean image at <paramref name="height"/> x <paramref name="width"/> (a new tensor: bilinear resize, or a copy at its own size).</summary>
    public Tensor MeanAt(long height, long width) =>
        height == mean_image.shape[2] && width == mean_image.shape[3]
            ? mean_image.clone()
            : nn.functional.interpolate(mean_image, size: [height, width], mode: InterpolationMode.Bilinear, align_corners: false);
}
