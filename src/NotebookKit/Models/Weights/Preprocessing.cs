using NotebookKit.Data.Transforms;

namespace NotebookKit.Models.Weights;

/// <summary>
/// The input a set of weights was trained with (torchvision's <c>transforms()</c>, timm's pretrained_cfg):
/// resize the shorter side to <see cref="ResizeSize"/>, centre-crop <see cref="CropSize"/>, then normalize.
/// </summary>
/// <param name="ResizeSize">Shorter side before the crop at evaluation (256, or 232 for torchvision's V2 weights).</param>
/// <param name="CropSize">The network's input side (224).</param>
/// <param name="Interpolation">Resampling used for resizing.</param>
/// <param name="Normalization">Value range, channel order, mean and std.</param>
public sealed record Preprocessing(int ResizeSize, int CropSize, string Interpolation, Normalization Normalization)
{
    /// <summary>torchvision's ImageNet default (resize 256, crop 224, bilinear, ImageNet mean/std): used for bare files.</summary>
    public static Preprocessing ImageNetDefault { get; } = new(256, 224, "bilinear", Normalization.ImageNet);

    /// <summary>The evaluation pipeline at the weights' own size.</summary>
    public ImagePipeline Eval() => ImagePipeline.Eval(ResizeSize, CropSize, Normalization);

    /// <summary>
    /// The evaluation pipeline at another input size (small images, quick runs), keeping the weights'
    /// resize-to-crop ratio (256/224) and normalization.
    /// </summary>
    public ImagePipeline Eval(int imageSize) =>
        ImagePipeline.Eval((int)Math.Round(imageSize * (double)ResizeSize / CropSize), imageSize, Normalization);

    /// <summary>The training pipeline at <paramref name="imageSize"/> with the weights' normalization.</summary>
    public ImagePipeline Train(int imageSize, bool augment = true) =>
        augment ? ImagePipeline.Train(imageSize, Normalization) : Eval(imageSize);

    /// <inheritdoc/>
    public override string ToString() => $"resize {ResizeSize} ({Interpolation}), centre crop {CropSize}, {Normalization}";
}
