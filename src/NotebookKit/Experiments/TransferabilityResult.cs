using System.Globalization;
using NotebookKit.Experiments.Statistics;
using NotebookKit.Models;
using NotebookKit.Training;

namespace NotebookKit.Experiments;

/// <summary>Which classes went to A and to B in the run with <paramref name="Seed"/>.</summary>
public sealed record TransferRunSplit(int Seed, IReadOnlyList<string> A, IReadOnlyList<string> B);

/// <summary>A base network's training curve (validation on its own half after every epoch), to judge its convergence.</summary>
public sealed record BaseCurve(int Seed, string Half, IReadOnlyList<EpochRecord> History);

/// <summary>The result of the Yosinski et al. (2014) experiment on a dataset.</summary>
/// <param name="Dataset">The dataset.</param>
/// <param name="Arch">The architecture (trained from random weights).</param>
/// <param name="Split">How the classes were split.</param>
/// <param name="Splits">The halves of each seed.</param>
/// <param name="Seeds">The seeds.</param>
/// <param name="Settings">The training settings (every network trains <see cref="TrainSettings.Epochs"/> epochs).</param>
/// <param name="Points">Every treatment at every depth.</param>
/// <param name="BaseCurves">The base networks' validation curves.</param>
/// <param name="StepsOnB">Optimiser steps every network for B took (base B and every treatment alike).</param>
public sealed record TransferabilityResult(string Dataset, string Arch, TransferSplit Split, IReadOnlyList<TransferRunSplit> Splits, IReadOnlyList<int> Seeds,
    TrainSettings Settings, IReadOnlyList<TransferPoint> Points, IReadOnlyList<BaseCurve> BaseCurves, int StepsOnB)
{
    /// <summary>The depths (1 = stem … 5 = layer4) as stage names.</summary>
    public static string StageAt(int depth) => Stages.Body[depth - 1];

    /// <summary>A line shown with the results when they are not an answer (the smoke preset), else null.</summary>
    public string? Caveat { get; init; }

    /// <summary>The point of <paramref name="treatment"/> at <paramref name="depth"/>, if measured.</summary>
    public TransferPoint? Point(string treatment, int depth) => Points.FirstOrDefault(p => p.Treatment == treatment && p.Depth == depth);

    /// <summary>The depths measured, in order.</summary>
    public IReadOnlyList<int> Depths => Points.Where(p => p.Depth > 0).Select(p => p.Depth).Distinct().Order().ToList();

    /// <summary>The budget policy in one sentence.</summary>
    public string BudgetPolicy => string.Create(CultureInfo.InvariantCulture,
        $"Every network (base A, base B and each treatment on B) trains the same {Settings.Epochs} epochs from the same schedule ({Settings.Optimizer}, lr {Settings.LearningRate:G3}, {Settings.Schedule}, "
        + $"{Settings.ImageSize} px, augmentation {(Settings.Augment ? "on" : "off")}), so every network for B takes {StepsOnB} optimiser steps on B, as the paper retrains for the same schedule; "
        + $"transferred layers are fine-tuned (+) at the same rate as the rest, as in the paper. The base networks' curves show how near convergence that budget gets them.");

    /// <summary>
    /// What the figure shows, computed from the measured points and their intervals (paired over seeds: the same seed shares
    /// its split, base networks and data), next to the paper's published shape. No claim beyond what was measured.
    /// </summary>
    public string Summary()
    {
        var lines = new List<string>();
        var baseB = Point("base B", 0);
        if (baseB is null) return "No base network on B was measured.";
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"Base network on B: {baseB.Mean:P1} (95% CI {baseB.Interval.ToPoints()})."));
        var depths = Depths;
        if (depths.Count >= 2 && Point("AnB", depths[0]) is { } first && Point("AnB", depths[^1]) is { } last)
            lines.Add($"AnB (first n stages transferred from A and frozen) goes from {first.Mean.ToString("P1", CultureInfo.InvariantCulture)} at n={depths[0]} to {last.Mean.ToString("P1", CultureInfo.InvariantCulture)} at n={depths[^1]}: "
                + $"{Paired(last, first, $"n={depths[^1]} − n={depths[0]}")} (paper, ImageNet/AlexNet, random split: AnB falls by about 8 points by n=7).");
        if (AverageOver("AnB+") is { } anbPlus)
            lines.Add($"AnB+ (transferred and fine-tuned) − base B, averaged over n: {Paired(anbPlus, baseB, "")} (paper: +1.7 points, with about 645,000 images per half).");
        if (AverageOver("BnB+") is { } bnbPlus)
            lines.Add($"BnB+ − base B (the control: the same layers retrained on B): {Paired(bnbPlus, baseB, "")} (paper: no difference).");
        var bnb = depths.Select(n => Point("BnB", n)).OfType<TransferPoint>().ToList();
        if (bnb.Count > 0)
        {
            var lowest = bnb.MinBy(p => p.Mean)!;
            lines.Add($"BnB (first n stages of base B, frozen, the rest retrained) is lowest at n={lowest.Depth} ({StageAt(lowest.Depth)}): {Paired(lowest, baseB, "")} against base B (paper: BnB dips in the middle layers, fragile co-adaptation).");
        }
        return string.Join(" ", lines);
    }

    string Paired(TransferPoint a, TransferPoint b, string label)
    {
        var (difference, interval, p) = a.Accuracies.Count > 1 ? Intervals.PairedT(a.Accuracies, b.Accuracies) : (a.Mean - b.Mean, new Interval(double.NaN, double.NaN), double.NaN);
        string diff = string.Create(CultureInfo.InvariantCulture, $"{(label.Length > 0 ? label + " " : "")}{difference * 100:+0.0;-0.0;0.0} points");
        if (double.IsNaN(interval.Low)) return $"{diff} (one seed: no interval; run three seeds)";
        string verdict = interval.Contains(0) ? "no detectable difference" : difference < 0 ? "a detectable drop" : "a detectable gain";
        return string.Create(CultureInfo.InvariantCulture, $"{diff} (95% CI {interval.ToPoints(signed: true)}, paired t over {a.Accuracies.Count} seeds {PairedComparison.FormatP(p)}: {verdict})");
    }

    /// <summary>A treatment's accuracy averaged over the depths, per seed (as a point of depth 0).</summary>
    TransferPoint? AverageOver(string treatment)
    {
        var points = Depths.Select(n => Point(treatment, n)).OfType<TransferPoint>().ToList();
        if (points.Count == 0) return null;
        return new TransferPoint(treatment, 0, Enumerable.Range(0, points[0].Accuracies.Count).Select(s => points.Average(p => p.Accuracies[s])).ToList(), points[0].ValidationImages);
    }
}
