using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookKit.Data;

/// <summary>Images stored as files: an ImageFolder split or a CSV listing.</summary>
public sealed class FileImageDataset : ImageDataset
{
    readonly IReadOnlyList<(string RelativePath, int Label)> samples;
    readonly IReadOnlyList<DataProblem> problems;
    readonly IReadOnlyList<string> warnings;

    /// <summary>Creates a dataset over files under <paramref name="root"/>.</summary>
    public FileImageDataset(string name, string format, string root, IReadOnlyList<string> classes,
        IReadOnlyList<(string RelativePath, int Label)> samples, IReadOnlyList<DataProblem>? problems = null, IReadOnlyList<string>? warnings = null)
    {
        Name = name;
        Format = format;
        Root = root;
        Classes = classes;
        this.samples = samples;
        this.problems = problems ?? [];
        this.warnings = warnings ?? [];
    }

    /// <inheritdoc/>
    public override string Name { get; }
    /// <inheritdoc/>
    public override string Format { get; }
    /// <inheritdoc/>
    public override string Root { get; }
    /// <inheritdoc/>
    public override IReadOnlyList<string> Classes { get; }
    /// <inheritdoc/>
    public override int Count => samples.Count;
    /// <inheritdoc/>
    public override int LabelOf(int index) => samples[index].Label;
    /// <inheritdoc/>
    public override string PathOf(int index) => samples[index].RelativePath;
    /// <inheritdoc/>
    public override IReadOnlyList<DataProblem> Problems => problems;
    /// <inheritdoc/>
    public override IReadOnlyList<string> Warnings => warnings;

    /// <summary>The full path of sample <paramref name="index"/>.</summary>
    public string FullPathOf(int index) => Path.Combine(Root, samples[index].RelativePath);

    /// <inheritdoc/>
    public override Image<Rgb24> Load(int index, ImageLimits? limits = null) => ImageFile.Load(FullPathOf(index), limits);
}
