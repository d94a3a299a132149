using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace NotebookKit.Data.Transforms;

/// <summary>
/// torchvision's RandomResizedCrop: a random region covering <paramref name="ScaleMin"/>..<paramref name="ScaleMax"/>
/// of the area with an aspect ratio in <paramref name="RatioMin"/>..<paramref name="RatioMax"/> (log-uniform),
/// resized to <paramref name="Size"/> x <paramref name="Size"/>. Ten tries, then a centre crop.
/// </summary>
public sealed record RandomResizedCrop(int Size, double ScaleMin = 0.08, double ScaleMax = 1.0, double RatioMin = 3.0 / 4.0, double RatioMax = 4.0 / 3.0) : ImageTransform
{
    /// <inheritdoc/>
    public override Image<Rgb24> Apply(Image<Rgb24> image, Random random)
    {
        var region = Region(image.Width, image.Height, random);
        image.Mutate(x => x.Crop(region).Resize(Size, Size, KnownResamplers.Triangle));
        return image;
    }

    /// <summary>The crop rectangle for an image of the given size (exposed for tests).</summary>
    public Rectangle Region(int width, int height, Random random)
    {
        double area = (double)width * height;
        double logMin = Math.Log(RatioMin), logMax = Math.Log(RatioMax);
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double target = area * (ScaleMin + random.NextDouble() * (ScaleMax - ScaleMin));
            double aspect = Math.Exp(logMin + random.NextDouble() * (logMax - logMin));
            int w = (int)Math.Round(Math.Sqrt(target * aspect));
            int h = (int)Math.Round(Math.Sqrt(target / aspect));
            if (w > 0 && h > 0 && w <= width && h <= height)
                return new Rectangle(random.Next(width - w + 1), random.Next(height - h + 1), w, h);
        }
        // Fallback: the largest centre crop whose ratio is within bounds.
        double ratio = (double)width / height;
        int cw = width, ch = height;
        if (ratio < RatioMin) ch = (int)Math.Round(width / RatioMin);
        else if (ratio > RatioMax) cw = (int)Math.Round(height * RatioMax);
        return new Rectangle((width - cw) / 2, (height - ch) / 2, cw, ch);
    }
}
