using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookKit.Data;

/// <summary>
/// A labelled image dataset: class names, one label per sample, and a way to decode each sample to RGB.
/// Samples are decoded on demand, so a dataset of 100,000 files costs only its file list in memory.
/// </summary>
public abstract class ImageDataset
{
    /// <summary>A short name, e.g. <c>fashion-mnist-small/train</c> or <c>ants-bees/val</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Where the dataset came from: <c>imagefolder</c>, <c>csv</c> or <c>idx</c>.</summary>
    public abstract string Format { get; }

    /// <summary>The folder (or file) sample paths are relative to.</summary>
    public abstract string Root { get; }

    /// <summary>Class names; a label is an index into this list.</summary>
    public abstract IReadOnlyList<string> Classes { get; }

    /// <summary>Number of samples.</summary>
    public abstract int Count { get; }

    /// <summary>The label of sample <paramref name="index"/>.</summary>
    public abstract int LabelOf(int index);

    /// <summary>The sample's path relative to <see cref="Root"/> (for in-memory formats, e.g. <c>train#17</c>).</summary>
    public abstract string PathOf(int index);

    /// <summary>Decodes sample <paramref name="index"/> to an upright RGB image.</summary>
    /// <exception cref="BadImageException">The sample cannot be used; the message names it and says why.</exception>
    public abstract Image<Rgb24> Load(int index, ImageLimits? limits = null);

    /// <summary>Files found while listing the dataset that cannot be samples, with the reason.</summary>
    public virtual IReadOnlyList<DataProblem> Problems => [];

    /// <summary>Things worth knowing that are not errors (e.g. an empty class folder).</summary>
    public virtual IReadOnlyList<string> Warnings => [];

    /// <summary>Samples per class, indexed by label.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[Classes.Count];
        for (int i = 0; i < Count; i++) counts[LabelOf(i)]++;
        return counts;
    }

    /// <summary>A view of some samples of this dataset (no copying).</summary>
    public ImageDataset Subset(IReadOnlyList<int> indices, string? name = null) => new SubsetDataset(this, indices, name ?? Name);

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Name} ({Format}): {Count} images, {Classes.Count} classes" + (Problems.Count > 0 ? $", {Problems.Count} problems" : "");
}

/// <summary>Some samples of a parent dataset.</summary>
sealed class SubsetDataset(ImageDataset parent, IReadOnlyList<int> indices, string name) : ImageDataset
{
    public override string Name => name;
    public override string Format => parent.Format;
    public override string Root => parent.Root;
    public override IReadOnlyList<string> Classes => parent.Classes;
    public override int Count => indices.Count;
    public override int LabelOf(int index) => parent.LabelOf(indices[index]);
    public override string PathOf(int index) => parent.PathOf(indices[index]);
    public override Image<Rgb24> Load(int index, ImageLimits? limits = null) => parent.Load(indices[index], limits);
    public override IReadOnlyList<DataProblem> Problems => parent.Problems;
    public override IReadOnlyList<string> Warnings => parent.Warnings;
}

/// <summary>A file that cannot be used, and why. <see cref="Path"/> is relative to the dataset root.</summary>
public sealed record DataProblem(string Path, string Reason)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Path}: {Reason}";
}

/// <summary>A sample that cannot be decoded or used; names the file and the reason.</summary>
public sealed class BadImageException(string path, string reason) : Exception($"{path}: {reason}")
{
    /// <summary>The file (as given to the loader).</summary>
    public string FilePath { get; } = path;

    /// <summary>Why it cannot be used.</summary>
    public string Reason { get; } = reason;
}

/// <summary>Limits that keep one hostile or broken file from exhausting memory.</summary>
/// <param name="MaxPixels">Largest width x height accepted, checked from the header before decoding
/// (default 89,478,485, Pillow's limit; a 60000x60000 "decompression bomb" is refused).</param>
/// <param name="MaxFileBytes">Largest file accepted (default 256 MB).</param>
public sealed record ImageLimits(long MaxPixels = 89_478_485, long MaxFileBytes = 256L << 20)
{
    /// <summary>The defaults.</summary>
    public static ImageLimits Default { get; } = new();
}
