using System.Globalization;
using NotebookKit.Experiments;

namespace NotebookKit.Charts;

/// <summary>A comparison's tables as HTML (results, paired comparisons, budget), shared by the report page and the notebook view.</summary>
public static class ComparisonHtml
{
    /// <summary>One row per strategy: final accuracy with its 95% interval (and per seed), best accuracy, trainable parameters, time, throughput.</summary>
    public static string Table(Comparison c) =>
        "<table style=\"border-collapse:collapse\"><tr><th>strategy</th><th>final val acc (95% CI)</th><th>per seed</th><th>best val acc</th><th>trainable params</th><th>train time</th><th>img/s</th></tr>"
        + string.Concat(c.Strategies.Select(s =>
            $"<tr><td><b>{Html.Escape(s.Strategy.Name)}</b><br><small>{Html.Escape(s.Strategy.Description)}</small></td>"
            + $"<td>{Html.Percent(s.ValidationAccuracy)} <small>{Html.Escape(s.ValidationAccuracyInterval.ToPoints())} ({Html.Escape(s.IntervalMethod)})</small></td>"
            + $"<td><small>{Html.Escape(string.Join(", ", s.PerSeed.Select(Html.Percent)))}</small></td><td>{Html.Percent(s.BestValidationAccuracy)}</td>"
            + string.Create(CultureInfo.InvariantCulture, $"<td>{s.TrainableParameters:N0}</td><td>{s.Seconds:F1} s</td><td>{s.ImagesPerSecond:F0}</td></tr>")))
        + "</table>";

    /// <summary>The paired comparisons: difference A − B in points, its 95% interval, the test and its p-value.</summary>
    public static string Comparisons(Comparison c) =>
        "<table style=\"border-collapse:collapse\"><tr><th>A − B</th><th>difference</th><th>95% CI</th><th>p</th><th>test</th><th>detectable?</th></tr>"
        + string.Concat(c.Comparisons.Select(p => string.Create(CultureInfo.InvariantCulture,
            $"<tr><td>{Html.Escape(p.A)} − {Html.Escape(p.B)}</td><td>{p.Difference * 100:+0.0;-0.0;0.0} points</td><td>{Html.Escape(p.Interval.ToPoints(signed: true))}</td>"
            + $"<td>{Html.Escape(PairedComparison.FormatP(p.PValue))}</td><td><small>{Html.Escape(p.Test)}: {Html.Escape(p.Detail)}</small></td><td>{(p.Detectable ? "yes" : "no: the interval includes 0")}</td></tr>")))
        + "</table>";

    /// <summary>The budget of every strategy, phase by phase, with the policy in one sentence.</summary>
    public static string Budget(Comparison c) =>
        $"<p>{Html.Escape(c.BudgetPolicy)}</p>"
        + "<table style=\"border-collapse:collapse\"><tr><th>strategy</th><th>phase</th><th>epochs</th><th>optimiser steps</th><th>what trains</th><th>head lr (peak)</th><th>body lr</th></tr>"
        + string.Concat(c.Strategies.SelectMany(s => s.Strategy.Phases(c.Settings.Epochs, c.Settings.LearningRate).Select(p => string.Create(CultureInfo.InvariantCulture,
            $"<tr><td>{Html.Escape(s.Strategy.Name)}</td><td>{Html.Escape(p.Name)}</td><td>{p.Epochs}</td><td>{p.Epochs * c.BatchesPerEpoch}</td><td>{Html.Escape(p.Trains)}</td><td>{p.HeadLearningRate:G3}</td><td>{Html.Escape(p.Body)}</td></tr>"))))
        + "</table>";
}
