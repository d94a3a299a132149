using System.Net;
using NotebookKit.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Processing;

namespace NotebookKit.Charts;

/// <summary>An HTML grid of images with captions (PNG data embedded, so it works offline and in a single file).</summary>
public static class ImageGrid
{
    /// <summary>One cell: a dataset sample with a caption (and a colour for right/wrong).</summary>
    public sealed record Cell(int Index, string Caption, bool Highlight = false);

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
                image.Mutate(x => x.Resize(new ResizeOptions { Size = new Size(size, size), Mode = ResizeMode.Max, Sampler = KnownResamplers.NearestNeighbor }));
                using var stream = new MemoryStream();
                image.SaveAsPng(stream);
                src = "data:image/png;base64," + Convert.ToBase64String(stream.ToArray());
            }
            catch (BadImageException e)
            {
                parts.Add($"<figure style=\"margin:4px;width:{size}px\"><div style=\"height:{size}px;background:#eee\">unreadable</div><figcaption style=\"font-size:11px\">{WebUtility.HtmlEncode(e.Reason)}</figcaption></figure>");
                continue;
            }
            parts.Add($"<figure style=\"margin:4px;width:{size}px\"><img src=\"{src}\" width=\"{size}\" height=\"{size}\" style=\"object-fit:contain;image-rendering:pixelated;border:2px solid {(cell.Highlight ? "#c33" : "#ccc")}\"/>"
                + $"<figcaption style=\"font-size:11px;line-height:1.2\">{WebUtility.HtmlEncode(cell.Caption)}</figcaption></figure>");
        }
        return $"<div style=\"display:flex;flex-wrap:wrap\">{string.Concat(parts)}</div>";
    }
}
