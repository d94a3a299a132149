using System.Globalization;
using NotebookKit.Experiments;

namespace NotebookKit.Charts;

/// <summary>A comparison's results table as HTML, shared by the report page and the notebook view.</summary>
public static class ComparisonHtml
{
    /// <summary>One row per strategy: final accuracy (± sd over seeds when there are several), best accuracy, trainable parameters, time, throughput.</summary>
    public static string Table(Comparison c) =>
        "<table style=\"border-collapse:collapse\"><tr><th>strategy</th><th>final val acc</th><th>best val acc</th><th>trainable params</th><th>train time</th><th>img/s</th></tr>"
        + string.Concat(c.Strategies.Select(s =>
            $"<tr><td><b>{Html.Escape(s.Strategy.Name)}</b><br><small>{Html.Escape(s.Strategy.Description)}</small></td><td>{Html.Percent(s.ValidationAccuracy)}{(c.Seeds.Count > 1 ? " ± " + Html.Percent(s.ValidationAccuracyStd) : "")}</td><td>{Html.Percent(s.BestValidationAccuracy)}</td>"
            + string.Create(CultureInfo.InvariantCulture, $"<td>{s.TrainableParameters:N0}</td><td>{s.Seconds:F1} s</td><td>{s.ImagesPerSecond:F0}</td></tr>")))
        + "</table>";
}
