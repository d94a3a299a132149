namespace NotebookKit.Data;

/// <summary>
/// A dataset as found on disk: its training samples and, when the source has them, its validation and
/// test splits. <see cref="Split"/> makes a validation split when the source has none.
/// </summary>
/// <param name="Name">Short name (the folder or file name).</param>
/// <param name="Format"><c>imagefolder</c>, <c>csv</c> or <c>idx</c>.</param>
/// <param name="Root">Where it lives.</param>
/// <param name="Train">The training samples (all samples when the source has no splits).</param>
/// <param name="Validation">The source's own validation split, if any.</param>
/// <param name="Test">The source's own test split, if any.</param>
public sealed record DatasetSource(string Name, string Format, string Root, ImageDataset Train, ImageDataset? Validation, ImageDataset? Test)
{
    /// <summary>Class names (from the training split).</summary>
    public IReadOnlyList<string> Classes => Train.Classes;

    /// <summary>Every split the source has, with its name.</summary>
    public IEnumerable<(string Split, ImageDataset Data)> Splits()
    {
        yield return ("train", Train);
        if (Validation is not null) yield return ("val", Validation);
        if (Test is not null) yield return ("test", Test);
    }

    /// <summary>Problems found while listing, from every split, without duplicates.</summary>
    public IReadOnlyList<DataProblem> Problems => Splits().SelectMany(s => s.Data.Problems).Distinct().ToList();

    /// <summary>Warnings from every split, without duplicates.</summary>
    public IReadOnlyList<string> Warnings => Splits().SelectMany(s => s.Data.Warnings).Distinct().ToList();

    /// <summary>
    /// Training and validation sets: the source's own validation split when it has one, else (or when
    /// <paramref name="force"/>) a stratified, seeded split of <see cref="Train"/>.
    /// </summary>
    public (ImageDataset Train, ImageDataset Validation) Split(double validationFraction = 0.2, int seed = 0, bool force = false) =>
        Validation is not null && !force ? (Train, Validation) : DatasetSplits.Stratified(Train, validationFraction, seed);
}
