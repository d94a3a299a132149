using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace NotebookKit.Data.Transforms;

/// <summary>
/// Random brightness, contrast and saturation changes, each a factor drawn uniformly from [1 - x, 1 + x]
/// (torchvision's ColorJitter without hue), applied in random order.
/// </summary>
public sealed record ColorJitter(float Brightness = 0.2f, float Contrast = 0.2f, float Saturation = 0.2f) : ImageTransform
{
    /// <inheritdoc/>
    public override Image<Rgb24> Apply(Image<Rgb24> image, Random random)
    {
        float Factor(float amount) => 1f + amount * (float)(random.NextDouble() * 2 - 1);
        var steps = new List<Action<IImageProcessingContext>>();
        if (Brightness > 0) { float f = Factor(Brightness); steps.Add(x => x.Brightness(f)); }
        if (Contrast > 0) { float f = Factor(Contrast); steps.Add(x => x.Contrast(f)); }
        if (Saturation > 0) { float f = Factor(Saturation); steps.Add(x => x.Saturate(f)); }
        var order = steps.ToArray();
        random.Shuffle(order);
        image.Mutate(x => { foreach (var step in order) step(x); });
        return image;
    }
}
