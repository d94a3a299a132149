using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookKit.Data;

/// <summary>Limits that keep one hostile or broken file from exhausting memory.</summary>
/// <param name="MaxPixels">Largest width x height accepted, checked from the header before decoding
/// (default 89,478,485, Pillow's limit; a 60000x60000 "decompression bomb" is refused).</param>
/// <param name="MaxFileBytes">Largest file accepted (default 256 MB).</param>
public sealed record ImageLimits(long MaxPixels = 89_478_485, long MaxFileBytes = 256L << 20)
{
    /// <summary>The defaults.</summary>
    public static ImageLimits Default { get; } = new();
}
