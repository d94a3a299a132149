namespace NotebookKit.Data;

/// <summary>Deterministic, seeded ways to divide a dataset.</summary>
public static class DatasetSplits
{
    /// <summary>
    /// Splits each class in the same proportion (at least one validation and one training sample per class
    /// that has two or more). The same seed always gives the same split.
    /// </summary>
    public static (ImageDataset Train, ImageDataset Validation) Stratified(ImageDataset dataset, double validationFraction, int seed)
    {
        if (validationFraction is <= 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "Expected a fraction between 0 and 1 (exclusive), e.g. 0.2.");
        var train = new List<int>();
        var validation = new List<int>();
        foreach (var members in ByClass(dataset))
        {
            var shuffled = Shuffled(members, seed);
            int take = shuffled.Count < 2 ? 0 : Math.Clamp((int)Math.Round(shuffled.Count * validationFraction), 1, shuffled.Count - 1);
            validation.AddRange(shuffled.Take(take));
            train.AddRange(shuffled.Skip(take));
        }
        train.Sort();
        validation.Sort();
        return (dataset.Subset(train, dataset.Name + "[train]"), dataset.Subset(validation, dataset.Name + "[val]"));
    }

    /// <summary>
    /// A balanced subset: <paramref name="perClass"/> samples of every class (all of a class that has fewer),
    /// chosen with <paramref name="seed"/>. For workshops and smoke runs.
    /// </summary>
    public static ImageDataset PerClass(ImageDataset dataset, int perClass, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perClass, 1);
        var chosen = ByClass(dataset).SelectMany(members => Shuffled(members, seed).Take(perClass)).Order().ToList();
        return dataset.Subset(chosen, $"{dataset.Name}[{perClass}/class]");
    }

    static IEnumerable<List<int>> ByClass(ImageDataset dataset)
    {
        var byClass = Enumerable.Range(0, dataset.Classes.Count).Select(_ => new List<int>()).ToArray();
        for (int i = 0; i < dataset.Count; i++) byClass[dataset.LabelOf(i)].Add(i);
        return byClass;
    }

    static List<int> Shuffled(List<int> items, int seed)
    {
        var copy = items.ToList();
        var random = new Random(Seeds.Mix(seed, items.Count, items.Count > 0 ? items[0] : 0));
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(copy));
        return copy;
    }
}
