using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace NotebookKit.Data.Transforms;

/// <summary>Crops the central <paramref name="Size"/> x <paramref name="Size"/> square (padding with black when the image is smaller, as torchvision does).</summary>
public sealed record CenterCrop(int Size) : ImageTransform
{
    /// <inheritdoc/>
    public override Image<Rgb24> Apply(Image<Rgb24> image, Random random)
    {
        if (image.Width == Size && image.Height == Size) return image;
        if (image.Width < Size || image.Height < Size)
        {
            var padded = new Image<Rgb24>(Math.Max(Size, image.Width), Math.Max(Size, image.Height));
            int px = (padded.Width - image.Width) / 2, py = (padded.Height - image.Height) / 2;
            padded.Mutate(x => x.DrawImage(image, new Point(px, py), 1f));
            image.Dispose();
            image = padded;
        }
        // torchvision: top = round((H - crop) / 2), left = round((W - crop) / 2)
        int left = (int)Math.Round((image.Width - Size) / 2.0, MidpointRounding.ToEven);
        int top = (int)Math.Round((image.Height - Size) / 2.0, MidpointRounding.ToEven);
        image.Mutate(x => x.Crop(new Rectangle(left, top, Size, Size)));
        return image;
    }
}
