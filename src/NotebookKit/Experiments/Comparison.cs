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
            $"  {s.Strategy.Name,-10} val acc {s.ValidationAccuracy:P1} (95% CI {s.ValidationAccuracyInterval.ToPoints()}), {s.TrainableParameters:N0} trainable, {s.Seconds:F1} s\n")))
        + Verdict();

    /// <summary>The first partial weights load among the runs (allowed by <see cref="TrainSettings.AllowPartialWeights"/>), or null.</summary>
    public Models.LoadReport? PartialWeights => Strategies.SelectMany(s => s.Runs).Select(r => r.WeightsReport).FirstOrDefault(r => r is { Complete: false });

    /// <summary>Files that could not be decoded and were left out of every run (the runs of this process; a resumed run's are not recorded).</summary>
    public IReadOnlyList<Data.DataProblem> SkippedFiles => Strategies.SelectMany(s => s.Runs).SelectMany(r => r.SkippedFiles)
        .DistinctBy(p => p.Path).OrderBy(p => p.Path, StringComparer.Ordinal).ToList();

    /// <summary>The strategy with the best mean final accuracy.</summary>
    public StrategySummary Best => Strategies.MaxBy(s => s.ValidationAccuracy)!;

    /// <summary>Optimiser steps per epoch (every strategy takes the same number).</summary>
    public int BatchesPerEpoch => (TrainImages + Settings.BatchSize - 1) / Settings.BatchSize;

    /// <summary>The budget policy in one sentence: what every strategy gets, and what differs.</summary>
    public string BudgetPolicy => string.Create(CultureInfo.InvariantCulture,
        $"Every strategy gets the same budget: {Settings.Epochs} epochs of {BatchesPerEpoch} optimiser steps (batch {Settings.BatchSize}, {TrainImages} images), "
        + $"{Settings.Optimizer} with a {Settings.Schedule} schedule per phase peaking at lr {Settings.LearningRate:G3} for the head, at {Settings.ImageSize} px, augmentation {(Settings.Augment ? "on" : "off")}, "
        + $"frozen BatchNorm policy {Settings.BatchNorm}. Phases split that budget (fine-tuning spends its first epoch(s) on the head); feature extraction "
        + $"{(Settings.Augment || Settings.BatchNorm != Models.BatchNormPolicy.FrozenStatistics ? "runs the frozen body every step" : "trains on features computed once, so the same steps cost a fraction of the time")}.");

    /// <summary>A line shown next to the results when they are not an answer (the smoke preset), else null.</summary>
    public string? Caveat { get; init; }

    /// <summary>
    /// The paired comparisons: every strategy that tunes the transferred layers against feature extraction, and every
    /// pretrained strategy against scratch (A − B, 95% interval, paired test on the same validation images).
    /// </summary>
    public IReadOnlyList<PairedComparison> Comparisons => PairedComparison.Standard(Strategies);

    /// <summary>The answer in words, following the statistics (see <see cref="Experiments.Verdict"/>).</summary>
    public string Verdict() => Experiments.Verdict.For(Strategies);
}
