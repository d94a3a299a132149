using NotebookKit.Training;

namespace NotebookKit.Experiments;

/// <summary>Runs a comparison: each strategy with each seed on the same split.</summary>
public static class Comparer
{
    /// <summary>
    /// Runs everything, reporting to <paramref name="observer"/> (default: the live display of notebooks and apps, if any),
    /// one curve per strategy and seed. With a <paramref name="log"/>, each finished run is journaled at once and runs
    /// already in it (a resumed experiment) are read back instead of trained again.
    /// </summary>
    public static Comparison Run(TrainSettings settings, IReadOnlyList<Strategy> strategies, int seeds, string note = "",
        ITrainingObserver? observer = null, CancellationToken cancellation = default, RunLog? log = null)
    {
        var data = PreparedData.From(settings);
        var seedList = SeedList(settings, seeds);
        var summaries = new List<StrategySummary>();
        using var live = LiveTraining.Open(observer, $"compare: {string.Join(", ", strategies.Select(s => s.Name))} on {data.Source.Name}");
        foreach (var strategy in strategies.Select(s => s.For(settings)))
        {
            var runs = new List<StrategyRun>();
            foreach (var seed in seedList)
            {
                cancellation.ThrowIfCancellationRequested();
                var key = $"{strategy.Name}/seed={seed}";
                if (log is not null && log.TryGet(key, out var done)) { runs.Add(RunRecords.ToRun(done, strategy)); continue; }
                var curve = live.Observer.ForCurve(seedList.Count > 1 ? $"{strategy.Name} seed {seed}" : strategy.Name, settings.Epochs);
                var run = StrategyRunner.Run(strategy, settings, data, seed, curve, cancellation);
                cancellation.ThrowIfCancellationRequested(); // a stopped run is not a result: it is not journaled
                log?.Append(key, RunRecords.Of(run));
                runs.Add(run);
            }
            summaries.Add(new StrategySummary(strategy, runs));
        }
        live.Complete();
        return new Comparison(data.Source.Name, settings.Arch, settings.Weights, note, settings, seedList, summaries,
            data.Train.Count, data.Validation.Count, data.Train.Classes) { Data = data };
    }

    /// <summary>Runs a preset (its settings, strategies and seeds) on <paramref name="data"/> (default: the preset's, the embedded data).</summary>
    public static Comparison Run(Preset preset, string? data = null, string note = "", ITrainingObserver? observer = null, CancellationToken cancellation = default) =>
        Run(preset.Settings with { Data = data ?? preset.Settings.Data }, Strategy.ParseList(preset.Strategies), preset.Seeds, note, observer, cancellation)
            with { Caveat = preset.Caveat };

    /// <summary>What a comparison's journal must agree on to be resumed: the command, the settings, the strategies (with their knobs) and the seeds.</summary>
    public static object Protocol(TrainSettings settings, IReadOnlyList<Strategy> strategies, int seeds) => new
    {
        command = "compare",
        settings,
        strategies = strategies.Select(s => s.For(settings)).Select(s => new { name = s.Name, description = s.Description }),
        seeds = SeedList(settings, seeds),
    };

    /// <summary>The seeds a run uses: <see cref="TrainSettings.Seed"/>, then the next ones (at least one).</summary>
    public static IReadOnlyList<int> SeedList(TrainSettings settings, int seeds)
    {
        Ranges.Seeds.Check(seeds, nameof(seeds));
        if ((long)settings.Seed + seeds - 1 > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(seeds), $"{seeds} seeds from seed {settings.Seed} would go past {int.MaxValue}; start from a smaller seed.");
        return Enumerable.Range(settings.Seed, seeds).ToList();
    }
}
