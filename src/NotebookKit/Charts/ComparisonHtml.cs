using System.Globalization;
using System.Net;
using NotebookKit.Experiments;

namespace NotebookKit.Charts;

/// <summary>A comparison's results table as HTML, shared by the report page and the notebook view.</summary>
public static class ComparisonHtml
{
    /// <summary>One row per strategy: final accuracy (± sd over seeds when there are several), best accuracy, trainable parameters, time, throughput.</summary>
    public static string Table(Comparison c) =>
        "<table style=\"border-collapse:collapse\"><tr><th>strategy</th><th>final val acc</th><th>best val acc</th><th>trainable params</th><th>train time</th><th>img/s</th></tr>"
        + string.Concat(c.Strategies.Select(s =>
            $"<tr><td><b>{E(s.Strategy.Name)}</b><br><small>{E(s.Strategy.Description)}</small></td><td>{P(s.ValidationAccuracy)}{(c.Seeds.Count > 1 ? " ± " + P(s.ValidationAccuracyStd) : "")}</td><td>{P(s.BestValidationAccuracy)}</td>"
            + string.Create(CultureInfo.InvariantCulture, $"<td>{s.TrainableParameters:N0}</td><td>{s.Seconds:F1} s</td><td>{s.ImagesPerSecond:F0}</td></tr>")))
        + "</table>";

    static string P(double v) => double.IsNaN(v) ? "-" : v.ToString("P1", CultureInfo.InvariantCulture);

    static string E(string text) => WebUtility.HtmlEncode(text);
}
