using NotebookKit.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Processing;

namespace NotebookKit.Charts;

/// <summary>An HTML grid of images with captions (PNG data embedded, so it works offline and in a single file).</summary>
public static class ImageGrid
{
    /// <summary>One cell: a dataset sample with a caption (and a colour for right/wrong).</summary>
    public sealed record Cell(int Index, string Caption, bool Highlight = false);

    /// <summary>
    /// A grid of in-memory images (e.g. an image and its augmented views) with captions, ready to display: notebooks show
    /// it as images, <see cref="Images.Html"/> gives the HTML. Images are encoded when this is called.
    /// </summary>
    public static Images Of(IEnumerable<Image> images, IEnumerable<string>? captions = null, int size = 96)
    {
        var captionList = captions?.ToList() ?? [];
        var parts = images.Select((image, i) =>
            Figure(Thumbnail(image, size), i < captionList.Count ? captionList[i] : $"{image.Width}x{image.Height}", size, highlight: false)).ToList();
        return new Images(parts.Count, $"<div style=\"display:flex;flex-wrap:wrap\">{string.Concat(parts)}</div>");
    }

    /// <summary>Images encoded as an HTML grid (see <see cref="Of"/>).</summary>
    /// <param name="Count">How many images.</param>
    /// <param name="Html">The grid as HTML with the images embedded as PNG.</param>
    public sealed record Images(int Count, string Html)
    {
        /// <inheritdoc/>
        public override string ToString() => $"{Count} image(s)";
    }

    /// <summary>Renders <paramref name="cells"/> of <paramref name="dataset"/> as a grid of thumbnails of side <paramref name="size"/>.</summary>
    public static string Html(ImageDataset dataset, IEnumerable<Cell> cells, int size = 96)
    {
        var parts = new List<string>();
        foreach (var cell in cells)
        {
            string src;
            try
            {
                using var image = dataset.Load(cell.Index);
                src = Thumbnail(image, size);
            }
            catch (BadImageException e)
            {
                parts.Add($"<figure style=\"margin:4px;width:{size}px\"><div style=\"height:{size}px;background:#eee\">unreadable</div><figcaption style=\"font-size:11px\">{NotebookKit.Charts.Html.Escape(e.Reason)}</figcaption></figure>");
                continue;
            }
            parts.Add(Figure(src, cell.Caption, size, cell.Highlight));
        }
        return $"<div style=\"display:flex;flex-wrap:wrap\">{string.Concat(parts)}</div>";
    }

    /// <summary>A PNG data URL of <paramref name="image"/> with its longer side scaled to <paramref name="size"/> (nearest neighbour: pixels stay crisp). The image is not changed.</summary>
    static string Thumbnail(Image image, int size)
    {
        using var copy = image.CloneAs<SixLabors.ImageSharp.PixelFormats.Rgb24>();
        copy.Mutate(x => x.Resize(new ResizeOptions { Size = new Size(size, size), Mode = ResizeMode.Max, Sampler = KnownResamplers.NearestNeighbor }));
        using var stream = new MemoryStream();
        copy.SaveAsPng(stream);
        return "data:image/png;base64," + Convert.ToBase64String(stream.ToArray());
    }

    static string Figure(string src, string caption, int size, bool highlight) =>
        $"<figure style=\"margin:4px;width:{size}px\"><img src=\"{src}\" width=\"{size}\" height=\"{size}\" style=\"object-fit:contain;image-rendering:pixelated;border:2px solid {(highlight ? "#c33" : "#ccc")}\"/>"
        + $"<figcaption style=\"font-size:11px;line-height:1.2\">{NotebookKit.Charts.Html.Escape(caption)}</figcaption></figure>";
}
