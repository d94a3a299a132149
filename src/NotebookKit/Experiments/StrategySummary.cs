
namespace NotebookKit.Experiments;

/// <summary>One strategy over all seeds: mean ± standard deviation of its accuracies, its cost.</summary>
public sealed record StrategySummary(Strategy Strategy, IReadOnlyList<StrategyRun> Runs)
{
    /// <summary>Mean final validation accuracy.</summary>
    public double ValidationAccuracy => Runs.Average(r => r.Evaluation.Accuracy);
    /// <summary>Sample standard deviation of the final validation accuracy (0 with one seed).</summary>
    public double ValidationAccuracyStd => Std(Runs.Select(r => r.Evaluation.Accuracy));
    /// <summary>Mean best validation accuracy over epochs.</summary>
    public double BestValidationAccuracy => Runs.Average(r => r.Result.BestValidationAccuracy);
    /// <summary>Its standard deviation.</summary>
    public double BestValidationAccuracyStd => Std(Runs.Select(r => r.Result.BestValidationAccuracy));
    /// <summary>Mean training time.</summary>
    public double Seconds => Runs.Average(r => r.Seconds);
    /// <summary>Trainable parameters at the end of training.</summary>
    public long TrainableParameters => Runs[0].TrainableParameters;
    /// <summary>Mean training images per second.</summary>
    public double ImagesPerSecond => Runs.Average(r => r.ImagesPerSecond);
    /// <summary>Validation accuracy per epoch, averaged over seeds.</summary>
    public IReadOnlyList<double> MeanCurve => Enumerable.Range(0, Runs.Min(r => r.Result.History.Count))
        .Select(e => Runs.Average(r => r.Result.History[e].ValidationAccuracy)).ToList();

    static double Std(IEnumerable<double> values)
    {
        var v = values.ToList();
        if (v.Count < 2) return 0;
        double mean = v.Average();
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Count - 1));
    }
}
