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
