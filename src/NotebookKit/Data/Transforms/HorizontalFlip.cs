using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace NotebookKit.Data.Transforms;

/// <summary>Mirrors the image left-right with probability <paramref name="Probability"/>.</summary>
public sealed record HorizontalFlip(double Probability = 0.5) : ImageTransform
{
    /// <inheritdoc/>
    public override Image<Rgb24> Apply(Image<Rgb24> image, Random random)
    {
        if (random.NextDouble() < Probability) image.Mutate(x => x.Flip(FlipMode.Horizontal));
        return image;
    }
}
