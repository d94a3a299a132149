using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace NotebookKit.Data.Transforms;

/// <summary>Resizes so the shorter side is <paramref name="ShorterSide"/>, keeping the aspect ratio (bilinear, antialiased).
/// An image whose shorter side already has that length is not resampled.</summary>
public sealed record Resize(int ShorterSide) : ImageTransform
{
    /// <inheritdoc/>
    public override Image<Rgb24> Apply(Image<Rgb24> image, Random random)
    {
        int shorter = Math.Min(image.Width, image.Height);
        if (shorter == ShorterSide) return image;
        // torchvision rounds the longer side down: int(long * size / short).
        int width = image.Width <= image.Height ? ShorterSide : (int)((long)image.Width * ShorterSide / image.Height);
        int height = image.Width <= image.Height ? (int)((long)image.Height * ShorterSide / image.Width) : ShorterSide;
        image.Mutate(x => x.Resize(width, height, KnownResamplers.Triangle));
        return image;
    }
}
