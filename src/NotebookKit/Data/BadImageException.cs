using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookKit.Data;

/// <summary>A sample that cannot be decoded or used; names the file and the reason.</summary>
public sealed class BadImageException(string path, string reason) : KitException($"{path}: {reason}")
{
    /// <summary>The file (as given to the loader).</summary>
    public string FilePath { get; } = path;

    /// <summary>Why it cannot be used.</summary>
    public string Reason { get; } = reason;
}
