using NotebookKit.Training;

namespace NotebookKit.Experiments;

/// <summary>Runs a comparison: each strategy with each seed on the same split.</summary>
public static class Comparer
{
    /// <summary>
    /// Runs everything, reporting to <paramref name="observer"/> (default: the live display of notebooks and apps, if any),
    /// one curve per strategy and seed.
    /// </summary>
    public static Comparison Run(TrainSettings settings, IReadOnlyList<Strategy> strategies, int seeds, string note = "",
        ITrainingObserver? observer = null, CancellationToken cancellation = default)
    {
        var data = PreparedData.From(settings);
        var seedList = Enumerable.Range(settings.Seed, Math.Max(1, seeds)).ToList();
        var summaries = new List<StrategySummary>();
        using var live = LiveTraining.Open(observer, $"compare: {string.Join(", ", strategies.Select(s => s.Name))} on {data.Source.Name}");
        foreach (var strategy in strategies.Select(s => s.For(settings)))
        {
            var runs = new List<StrategyRun>();
            foreach (var seed in seedList)
            {
                cancellation.ThrowIfCancellationRequested();
                var curve = live.Observer.ForCurve(seedList.Count > 1 ? $"{strategy.Name} seed {seed}" : strategy.Name, settings.Epochs);
                runs.Add(StrategyRunner.Run(strategy, settings, data, seed, curve, cancellation));
            }
            summaries.Add(new StrategySummary(strategy, runs));
        }
        live.Complete();
        return new Comparison(data.Source.Name, settings.Arch, settings.Weights, note, settings, seedList, summaries,
            data.Train.Count, data.Validation.Count, data.Train.Classes) { Data = data };
    }
}
