using System.Globalization;
using Microsoft.DotNet.Interactive.Formatting;
using NotebookKit.Charts;
using NotebookKit.Experiments;
using NotebookKit.Training;

namespace NotebookKit.Interactive.Formatters;

/// <summary>A comparison as its table and verdict; a training result as its epoch table.</summary>
static class ComparisonFormatter
{
    public static void Register()
    {
        Formatter.Register<Comparison>((c, writer) => writer.Write(ToHtml(c)), Html.Mime);
        Formatter.Register<TrainResult>((r, writer) => writer.Write(History(r.History)), Html.Mime);
    }

    /// <summary>The caveat (smoke runs), the results with their intervals, the paired comparisons and the verdict.</summary>
    public static string ToHtml(Comparison c) =>
        $"<div><p><b>{Html.E(c.Dataset)}</b>, {Html.E(c.Arch)} with {Html.E(c.Weights)}: {c.TrainImages} train / {c.ValidationImages} validation images, seeds {Html.E(string.Join(", ", c.Seeds))}</p>"
        + (c.Caveat is null ? "" : $"<p class=\"nbkit-caveat\" style=\"background:#fff4e0;padding:6px;border-left:4px solid #e90\"><b>{Html.E(c.Caveat)}</b></p>")
        + ComparisonHtml.Table(c)
        + (c.Comparisons.Count == 0 ? "" : "<p><small>Paired comparisons (the same seeds, the same validation images):</small></p>" + ComparisonHtml.Comparisons(c))
        + $"<p style=\"background:#f4f7ff;padding:6px;border-left:4px solid #36c\">{Html.E(c.Verdict())}</p></div>";

    public static string History(IReadOnlyList<EpochRecord> history) =>
        "<table style=\"border-collapse:collapse\"><tr><th>epoch</th><th>phase</th><th>train loss</th><th>train acc</th><th>val loss</th><th>val acc</th><th>lr</th><th>s</th><th>img/s</th><th>MB</th><th>tensors</th></tr>"
        + string.Concat(history.Select(h => string.Create(CultureInfo.InvariantCulture,
            $"<tr><td>{h.Epoch}</td><td>{Html.E(h.Phase)}</td><td>{h.TrainLoss:F4}</td><td>{Charts.Html.Percent(h.TrainAccuracy)}</td><td>{h.ValidationLoss:F4}</td><td>{Charts.Html.Percent(h.ValidationAccuracy)}</td><td>{h.LearningRate:G3}</td><td>{h.Seconds:F1}</td><td>{h.ImagesPerSecond:F0}</td><td>{h.RssMegabytes:F0}</td><td>{h.LiveTensors}</td></tr>")))
        + "</table>";
}
