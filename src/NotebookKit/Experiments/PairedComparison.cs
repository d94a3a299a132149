using System.Globalization;
using NotebookKit.Experiments.Statistics;

namespace NotebookKit.Experiments;

/// <summary>
/// Strategy <see cref="A"/> against <see cref="B"/> on the same validation images: the accuracy difference A − B with a
/// 95% interval and a paired test. One seed: exact McNemar on the images one gets right and the other wrong, with the
/// Agresti–Min interval; several seeds: the per-seed differences (same seed, same images), a paired t interval and test.
/// </summary>
/// <param name="A">The first strategy's name.</param>
/// <param name="B">The second strategy's name.</param>
/// <param name="Difference">Accuracy of A minus accuracy of B (a fraction; 0.012 is 1.2 points).</param>
/// <param name="Interval">Its 95% interval.</param>
/// <param name="PValue">The paired test's two-sided p-value (NaN when it cannot be computed).</param>
/// <param name="Test">Which test: "exact McNemar" (one seed) or "paired t" (several).</param>
/// <param name="Detail">What it was computed from ("one seed, 500 images, 12 vs 7 discordant"; "3 seeds").</param>
public sealed record PairedComparison(string A, string B, double Difference, Interval Interval, double PValue, string Test, string Detail)
{
    /// <summary>Whether the interval excludes 0: a difference this data can detect.</summary>
    public bool Detectable => !double.IsNaN(Interval.Low) && !Interval.Contains(0);

    /// <summary>B against A: the same comparison, sign reversed.</summary>
    public PairedComparison Reversed() => this with { A = B, B = A, Difference = -Difference, Interval = new Interval(-Interval.High, -Interval.Low) };

    /// <summary>"+1.2 points (95% CI [-0.8, +3.2], exact McNemar p = 0.24)".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Difference * 100:+0.0;-0.0;0.0} points (95% CI {Interval.ToPoints(signed: true)}, {Test} {FormatP(PValue)})");

    /// <summary>"p = 0.24", "p &lt; 0.001", or "p n/a".</summary>
    public static string FormatP(double p) => double.IsNaN(p) ? "p n/a" : p < 0.001 ? "p < 0.001" : string.Create(CultureInfo.InvariantCulture, $"p = {p:0.###}");

    /// <summary>
    /// The comparisons a result shows: every strategy that tunes the transferred layers against feature extraction, and
    /// every pretrained strategy against scratch (A − B), for those of them in <paramref name="strategies"/>.
    /// </summary>
    public static IReadOnlyList<PairedComparison> Standard(IReadOnlyList<StrategySummary> strategies)
    {
        var list = new List<PairedComparison>();
        if (strategies.FirstOrDefault(s => s.Strategy is Strategy.FeatureExtraction) is { } frozen)
            list.AddRange(strategies.Where(s => s.Strategy.TunesTransferredLayers).Select(s => Of(s, frozen)));
        if (strategies.FirstOrDefault(s => !s.Strategy.Pretrained) is { } scratch)
            list.AddRange(strategies.Where(s => s.Strategy.Pretrained).Select(s => Of(s, scratch)));
        return list;
    }

    /// <summary>Compares <paramref name="a"/> with <paramref name="b"/>, seed by seed, on the same validation images.</summary>
    /// <exception cref="ArgumentException">The two were not run with the same seeds, or were evaluated on different images.</exception>
    public static PairedComparison Of(StrategySummary a, StrategySummary b)
    {
        if (!a.Seeds.SequenceEqual(b.Seeds))
            throw new ArgumentException($"{a.Strategy.Name} (seeds {string.Join(",", a.Seeds)}) and {b.Strategy.Name} (seeds {string.Join(",", b.Seeds)}) were not run with the same seeds; a paired comparison needs them.");
        foreach (var (ra, rb) in a.Runs.Zip(b.Runs))
            if (!ra.Evaluation.Predictions.Select(p => p.Index).SequenceEqual(rb.Evaluation.Predictions.Select(p => p.Index)))
                throw new ArgumentException($"{a.Strategy.Name} and {b.Strategy.Name} (seed {ra.Seed}) were evaluated on different validation images; they cannot be compared pairwise.");
        if (a.Runs.Count == 1)
        {
            var (pa, pb) = (a.Runs[0].Evaluation.Predictions, b.Runs[0].Evaluation.Predictions);
            int onlyA = pa.Zip(pb).Count(x => x.First.Correct && !x.Second.Correct);
            int onlyB = pa.Zip(pb).Count(x => !x.First.Correct && x.Second.Correct);
            var (difference, interval) = Intervals.PairedDifference(onlyA, onlyB, pa.Count);
            return new PairedComparison(a.Strategy.Name, b.Strategy.Name, difference, interval, Intervals.McNemarExactP(onlyA, onlyB), "exact McNemar",
                string.Create(CultureInfo.InvariantCulture, $"one seed, {pa.Count} images: {onlyA} right only by {a.Strategy.Name}, {onlyB} only by {b.Strategy.Name}; Agresti-Min interval"));
        }
        var (mean, t, p) = Intervals.PairedT(a.PerSeed, b.PerSeed);
        return new PairedComparison(a.Strategy.Name, b.Strategy.Name, mean, t, p, "paired t", $"{a.Runs.Count} seeds (same seed, same images)");
    }
}
