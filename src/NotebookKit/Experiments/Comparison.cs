using System.Globalization;

namespace NotebookKit.Experiments;

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

    /// <summary>The first partial weights load among the runs (allowed by <see cref="TrainSettings.AllowPartialWeights"/>), or null.</summary>
    public Models.LoadReport? PartialWeights => Strategies.SelectMany(s => s.Runs).Select(r => r.WeightsReport).FirstOrDefault(r => r is { Complete: false });

    /// <summary>The strategy with the best mean final accuracy.</summary>
    public StrategySummary Best => Strategies.MaxBy(s => s.ValidationAccuracy)!;

    /// <summary>
    /// A plain-language verdict: "On this data, fine-tuning beat feature extraction by X ± Y points; fine-tuning took Z
    /// times as long as feature extraction." (whichever won, the time ratio is the tuned strategy's over the frozen one's).
    /// </summary>
    public string Verdict()
    {
        var frozen = Strategies.FirstOrDefault(s => s.Strategy is Strategy.FeatureExtraction);
        var tuned = Strategies.Where(s => s.Strategy.TunesTransferredLayers).MaxBy(s => s.ValidationAccuracy);
        var scratch = Strategies.FirstOrDefault(s => !s.Strategy.Pretrained);
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

    static string Name(StrategySummary s) => s.Strategy.Title;
}
