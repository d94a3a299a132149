using Microsoft.DotNet.Interactive.Formatting;
using NotebookKit.Charts;
using SixLabors.ImageSharp;

namespace NotebookKit.Interactive.Formatters;

/// <summary>Images (ImageSharp) and image grids as embedded PNGs.</summary>
static class ImageFormatter
{
    public static void Register()
    {
        Formatter.Register<ImageGrid.Images>((grid, writer) => writer.Write(grid.Html), Html.Mime);
        Formatter.Register<Image>((image, writer) => writer.Write(ImageGrid.Of([image], size: Math.Min(256, Math.Max(image.Width, image.Height))).Html), Html.Mime);
    }
}
