using NotebookKit.Experiments.Statistics;

namespace NotebookKit.Experiments;

/// <summary>One strategy over all seeds: its final validation accuracy with a 95% interval, the per-seed values, its cost.</summary>
public sealed record StrategySummary(Strategy Strategy, IReadOnlyList<StrategyRun> Runs)
{
    /// <summary>Mean final validation accuracy over seeds.</summary>
    public double ValidationAccuracy => Runs.Average(r => r.Evaluation.Accuracy);

    /// <summary>The final validation accuracy of each seed, in seed order.</summary>
    public IReadOnlyList<double> PerSeed => Runs.Select(r => r.Evaluation.Accuracy).ToList();

    /// <summary>The seeds, in order.</summary>
    public IReadOnlyList<int> Seeds => Runs.Select(r => r.Seed).ToList();

    /// <summary>
    /// The 95% interval of <see cref="ValidationAccuracy"/>: with one seed, Wilson's score interval over the validation
    /// images (sampling of the validation set); with several, Student's t interval over the seeds' accuracies, cut to
    /// [0, 1].
    /// </summary>
    public Interval ValidationAccuracyInterval => Intervals.Accuracy(PerSeed, Runs[0].Evaluation.Count);

    /// <summary>Which interval <see cref="ValidationAccuracyInterval"/> is: "wilson" (one seed) or "t" (over seeds).</summary>
    public string IntervalMethod => Runs.Count == 1 ? "wilson" : "t";

    /// <summary>Sample standard deviation of the final validation accuracy over seeds (0 with one seed).</summary>
    public double ValidationAccuracyStd => Std(PerSeed);

    /// <summary>Mean best validation accuracy over epochs (optimistic: the epoch is chosen on the validation set).</summary>
    public double BestValidationAccuracy => Runs.Average(r => r.Result.BestValidationAccuracy);

    /// <summary>Its standard deviation.</summary>
    public double BestValidationAccuracyStd => Std(Runs.Select(r => r.Result.BestValidationAccuracy).ToList());

    /// <summary>Mean training time.</summary>
    public double Seconds => Runs.Average(r => r.Seconds);

    /// <summary>Trainable parameters at the end of training.</summary>
    public long TrainableParameters => Runs[0].TrainableParameters;

    /// <summary>Mean training images per second.</summary>
    public double ImagesPerSecond => Runs.Average(r => r.ImagesPerSecond);

    /// <summary>Validation accuracy per epoch, averaged over seeds.</summary>
    public IReadOnlyList<double> MeanCurve => Enumerable.Range(0, Runs.Min(r => r.Result.History.Count))
        .Select(e => Runs.Average(r => r.Result.History[e].ValidationAccuracy)).ToList();

    static double Std(IReadOnlyList<double> v)
    {
        if (v.Count < 2) return 0;
        double mean = v.Average();
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Count - 1));
    }
}
