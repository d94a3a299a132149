using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookKit.Data;

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
