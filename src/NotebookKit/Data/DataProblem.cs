using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookKit.Data;

/// <summary>A file that cannot be used, and why. <see cref="Path"/> is relative to the dataset root.</summary>
public sealed record DataProblem(string Path, string Reason)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Path}: {Reason}";
}
