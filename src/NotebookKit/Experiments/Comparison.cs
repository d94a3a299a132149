using System.Globalization;
using NotebookKit.Training;

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

/// <summary>The answer to "freeze or fine-tune?" on one dataset: every strategy, same split, same budget, same seeds.</summary>
public sealed record Comparison(string Dataset, string Arch, string Weights, string Note, TrainSettings Settings, IReadOnlyList<int> Seeds,
    IReadOnlyList<StrategySummary> Strategies, int TrainImages, int ValidationImages, IReadOnlyList<string> Classes)
{
    /// <summary>The data the runs used (to show the wrong examples).</summary>
    public PreparedData? Data { get; init; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Dataset}, {Arch} with {Weights}, {TrainImages} train / {ValidationImages} val images, seeds {string.Join(", ", Seeds)}\n"
        + string.Concat(Strategies.Select(s => string.Create(CultureInfo.InvariantCulture,
            $"  {s.Strategy.Name,-10} val acc {s.ValidationAccuracy:P1}{(Seeds.Count > 1 ? $" ± {s.ValidationAccuracyStd:P1}" : "")}, {s.TrainableParameters:N0} trainable, {s.Seconds:F1} s\n")))
        + Verdict();

    /// <summary>The strategy with the best mean final accuracy.</summary>
    public StrategySummary Best => Strategies.MaxBy(s => s.ValidationAccuracy)!;

    /// <summary>
    /// A plain-language verdict: "On this data, fine-tuning beat feature extraction by X ± Y points; fine-tuning took Z
    /// times as long as feature extraction." (whichever won, the time ratio is the tuned strategy's over the frozen one's).
    /// </summary>
    public string Verdict()
    {
        var frozen = Strategies.FirstOrDefault(s => s.Strategy.Kind == StrategyKind.Frozen);
        var tuned = Strategies.Where(s => s.Strategy.Kind is StrategyKind.FineTune or StrategyKind.Full or StrategyKind.Partial).MaxBy(s => s.ValidationAccuracy);
        var scratch = Strategies.FirstOrDefault(s => s.Strategy.Kind == StrategyKind.Scratch);
        var lines = new List<string>();
        if (frozen is not null && tuned is not null)
        {
            double diff = (tuned.ValidationAccuracy - frozen.ValidationAccuracy) * 100;
            double spread = Math.Sqrt(Math.Pow(tuned.ValidationAccuracyStd, 2) + Math.Pow(frozen.ValidationAccuracyStd, 2)) * 100;
            double cost = frozen.Seconds > 0 ? tuned.Seconds / frozen.Seconds : double.NaN;
            string who = diff >= 0 ? $"{Name(tuned)} beat feature extraction" : $"feature extraction beat {Name(tuned)}";
            string margin = Seeds.Count > 1 ? $"{Math.Abs(diff):F1} ± {spread:F1} points" : $"{Math.Abs(diff):F1} points (one seed: run --seeds 3 for a spread)";
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"On this data, {who} by {margin}; {Name(tuned)} took {cost:F1} times as long as feature extraction."));
            if (Seeds.Count > 1 && Math.Abs(diff) <= spread) lines.Add("The difference is within the spread over seeds: on this budget the two are not distinguishable.");
        }
        if (scratch is not null)
        {
            var bestPretrained = Strategies.Where(s => s.Strategy.Pretrained).MaxBy(s => s.ValidationAccuracy);
            if (bestPretrained is not null)
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"Pretrained {Name(bestPretrained)} reached {bestPretrained.ValidationAccuracy:P1} against {scratch.ValidationAccuracy:P1} from scratch ({(bestPretrained.ValidationAccuracy - scratch.ValidationAccuracy) * 100:+0.0;-0.0} points)."));
        }
        return string.Join(" ", lines);
    }

    static string Name(StrategySummary s) => s.Strategy.Kind switch
    {
        StrategyKind.FineTune => "fine-tuning",
        StrategyKind.Full => "full fine-tuning",
        StrategyKind.Partial => $"fine-tuning with {s.Strategy.FrozenStages} stage(s) frozen",
        StrategyKind.Frozen => "feature extraction",
        _ => "training from scratch",
    };
}

/// <summary>Runs a comparison: each strategy with each seed on the same split.</summary>
public static class Comparer
{
    /// <summary>Runs everything; <paramref name="progress"/> hears (strategy, seed, trainer) before each run starts.</summary>
    public static Comparison Run(TrainSettings settings, IReadOnlyList<Strategy> strategies, int seeds, string note = "",
        Action<Strategy, int, Trainer>? progress = null, CancellationToken cancellation = default)
    {
        var data = PreparedData.From(settings);
        var seedList = Enumerable.Range(settings.Seed, Math.Max(1, seeds)).ToList();
        var summaries = new List<StrategySummary>();
        using var live = LiveTraining.Scope($"compare: {string.Join(", ", strategies.Select(s => s.Name))} on {data.Source.Name}");
        foreach (var strategy in strategies)
        {
            var runs = new List<StrategyRun>();
            foreach (var seed in seedList)
            {
                cancellation.ThrowIfCancellationRequested();
                using var curve = LiveTraining.Curve(seedList.Count > 1 ? $"{strategy.Name} seed {seed}" : strategy.Name, settings.Epochs);
                runs.Add(StrategyRunner.Run(strategy, settings, data, seed, trainer => progress?.Invoke(strategy, seed, trainer), cancellation));
            }
            summaries.Add(new StrategySummary(strategy, runs));
        }
        live.Complete();
        return new Comparison(data.Source.Name, settings.Arch, settings.Weights, note, settings, seedList, summaries,
            data.Train.Count, data.Validation.Count, data.Train.Classes) { Data = data };
    }
}
