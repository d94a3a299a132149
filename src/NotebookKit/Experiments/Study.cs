using NotebookKit.Data;
using NotebookKit.Training;

namespace NotebookKit.Experiments;

/// <summary>
/// <c>nbkit study</c>: for each training-set size (images per class), every strategy with every seed, on training
/// subsets of one stratified split (nested: the smaller sizes are the first images of the larger ones for a seed) and
/// the same validation set, under a stated budget (<see cref="StudyBudget"/>).
/// </summary>
public static class Study
{
    /// <summary>
    /// Runs the study. <paramref name="settings"/>' <see cref="TrainSettings.Epochs"/> is replaced per size by the
    /// <paramref name="budget"/>; its <see cref="TrainSettings.TrainPerClass"/> is ignored (the sizes say it).
    /// </summary>
    /// <exception cref="KitException">A size is larger than the smallest class holds (the message names the largest possible size).</exception>
    public static StudyResult Run(TrainSettings settings, IReadOnlyList<int> sizes, IReadOnlyList<Strategy> strategies, int seeds, StudyBudget? budget = null,
        ITrainingObserver? observer = null, CancellationToken cancellation = default, RunLog? log = null)
    {
        budget ??= new StudyBudget(settings.Epochs);
        Ranges.Epochs.Check(budget.Epochs, $"{nameof(budget)}.{nameof(StudyBudget.Epochs)}");
        Ranges.MinSteps.Check(budget.MinSteps, $"{nameof(budget)}.{nameof(StudyBudget.MinSteps)}");
        var ordered = CheckSizes(sizes);
        var data = PreparedData.From(settings with { TrainPerClass = null });
        int largestPossible = data.Train.ClassCounts().Min();
        if (ordered[^1] > largestPossible)
            throw new KitException($"--sizes {string.Join(",", ordered)}: the smallest class of {data.Source.Name}'s training split holds {largestPossible} images, so the largest possible size is {largestPossible} per class.");
        var seedList = Comparer.SeedList(settings, seeds);
        using var live = LiveTraining.Open(observer, $"study: {string.Join(", ", strategies.Select(s => s.Name))} at {string.Join(", ", ordered)} per class on {data.Source.Name}");
        var points = new List<StudyPoint>();
        foreach (int size in ordered)
        {
            int images = 0, epochs = 0, steps = 0;
            var summaries = new List<StrategySummary>();
            foreach (var baseStrategy in strategies.Select(s => s.For(settings)))
            {
                var runs = new List<StrategyRun>();
                Strategy strategy = baseStrategy;
                foreach (int seed in seedList)
                {
                    cancellation.ThrowIfCancellationRequested();
                    var subset = data with { Train = DatasetSplits.PerClass(data.Train, size, seed) };
                    int batches = (subset.Train.Count + settings.BatchSize - 1) / settings.BatchSize;
                    (images, epochs) = (subset.Train.Count, budget.EpochsFor(batches));
                    steps = epochs * batches;
                    strategy = baseStrategy is Strategy.FineTune f ? f with { HeadEpochs = budget.HeadEpochsFor(epochs) } : baseStrategy;
                    var key = $"size={size}/{strategy.Name}/seed={seed}";
                    if (log is not null && log.TryGet(key, out var done)) { runs.Add(RunRecords.ToRun(done, strategy)); continue; }
                    var curve = live.Observer.ForCurve($"{strategy.Name} {size}/class seed {seed}", epochs);
                    var run = StrategyRunner.Run(strategy, settings with { Epochs = epochs }, subset, seed, curve, cancellation, validateEachEpoch: false);
                    cancellation.ThrowIfCancellationRequested(); // a stopped run is not a result: it is not journaled
                    log?.Append(key, RunRecords.Of(run));
                    runs.Add(run);
                }
                summaries.Add(new StrategySummary(strategy, runs));
            }
            points.Add(new StudyPoint(size, images, epochs, steps, summaries));
        }
        live.Complete();
        return new StudyResult(data.Source.Name, settings.Arch, settings.Weights, settings, budget, seedList, data.Validation.Count, data.Train.Classes, points);
    }

    /// <summary>
    /// Runs a preset (its settings, sizes, strategies, seeds and budget) on <paramref name="data"/> (default: the
    /// preset's, the embedded data); the result carries the preset's <see cref="StudyPreset.Caveat"/>.
    /// </summary>
    public static StudyResult Run(StudyPreset preset, string? data = null, ITrainingObserver? observer = null, CancellationToken cancellation = default) =>
        Run(preset.Settings with { Data = data ?? preset.Settings.Data }, preset.Sizes, Strategy.ParseList(preset.Strategies), preset.Seeds, preset.Budget,
            observer, cancellation) with { Caveat = preset.Caveat };

    /// <summary>What a study's journal must agree on to be resumed.</summary>
    public static object Protocol(TrainSettings settings, IReadOnlyList<int> sizes, IReadOnlyList<Strategy> strategies, int seeds, StudyBudget budget) => new
    {
        command = "study",
        settings = settings with { TrainPerClass = null },
        sizes = CheckSizes(sizes),
        strategies = strategies.Select(s => s.For(settings)).Select(s => s.Name),
        seeds = Comparer.SeedList(settings, seeds),
        budget,
    };

    static IReadOnlyList<int> CheckSizes(IReadOnlyList<int> sizes)
    {
        if (sizes.Count == 0) throw new KitException("--sizes: give at least one size (images per class), e.g. 5,20,100.");
        if (sizes.Any(s => s < 1)) throw new KitException($"--sizes {string.Join(",", sizes)}: sizes are images per class, at least 1.");
        var ordered = sizes.Distinct().Order().ToList();
        if (ordered.Count != sizes.Count) throw new KitException($"--sizes {string.Join(",", sizes)}: a size is listed twice.");
        return ordered;
    }
}
