using NotebookKit.Data;

namespace NotebookKit.Experiments;

/// <summary>
/// How the transferability experiment splits the classes into halves A and B. <see cref="Random"/> (the paper's main
/// case): a seeded random half, a new one per run seed unless <see cref="Seed"/> fixes it. Otherwise the first half of
/// the classes against the second: a deliberately dissimilar split on datasets whose classes are grouped (the embedded
/// Fashion-MNIST puts the garments first and the footwear and bags last), like the paper's man-made vs natural split.
/// </summary>
/// <param name="Random">A random split (default), or first half vs second half.</param>
/// <param name="Seed">The split's seed for every run; null: each run seed draws its own split.</param>
public sealed record TransferSplit(bool Random = true, int? Seed = null)
{
    /// <summary>The classes of A and of B (sorted indices) for the run with <paramref name="runSeed"/>.</summary>
    public (IReadOnlyList<int> A, IReadOnlyList<int> B) For(int classes, int runSeed)
    {
        var order = Enumerable.Range(0, classes).ToArray();
        if (Random) new System.Random(Seeds.Mix(Seed ?? runSeed, SeedSalts.ClassSplit)).Shuffle(order);
        return (order.Take(classes / 2).Order().ToList(), order.Skip(classes / 2).Order().ToList());
    }

    /// <summary>The split in words, for reports.</summary>
    public string Description => Random
        ? Seed is { } s ? $"random split of the classes into halves, seed {s} for every run" : "random split of the classes into halves, a new one for each seed"
        : "deliberately dissimilar split: the first half of the classes against the second half";

    /// <inheritdoc/>
    public override string ToString() => Random ? Seed is { } s ? $"random:{s}" : "random" : "halves";
}
