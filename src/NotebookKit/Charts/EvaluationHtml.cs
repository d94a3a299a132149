using System.Globalization;
using NotebookKit.Training;

namespace NotebookKit.Charts;

/// <summary>
/// An <see cref="Evaluation"/> as HTML: the headline numbers, the confusion matrix as a heat-map table (rows: true
/// class, columns: predicted; shade = share of the row, so small classes read as clearly as large ones; counts
/// printed) and per-class precision, recall and F1. Plain HTML, no script: light, offline, in any host.
/// </summary>
public static class EvaluationHtml
{
    /// <summary>Renders <paramref name="evaluation"/>.</summary>
    public static string Render(Evaluation evaluation) =>
        "<div class=\"nbkit-evaluation\" style=\"font-family:sans-serif;font-size:13px\">"
        + $"<p><b>{Html.Escape(evaluation.ToString())}</b></p>"
        + "<div style=\"display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start\">"
        + ConfusionMatrix(evaluation) + PerClass(evaluation) + "</div></div>";

    /// <summary>The confusion matrix alone.</summary>
    public static string ConfusionMatrix(Evaluation evaluation)
    {
        int n = evaluation.Classes.Count;
        var cell = "style=\"padding:2px 6px;text-align:right;border:1px solid #ddd";
        var html = "<table class=\"nbkit-confusion\" style=\"border-collapse:collapse\"><caption style=\"text-align:left\">confusion matrix (rows: true class, columns: predicted)</caption><tr><th></th>"
            + string.Concat(evaluation.Classes.Select((c, j) => $"<th title=\"{Html.Escape(c)}\" style=\"padding:2px 4px;font-weight:normal;writing-mode:vertical-rl;transform:rotate(180deg)\">{Html.Escape(c)}</th>")) + "</tr>";
        for (int i = 0; i < n; i++)
        {
            int rowTotal = 0;
            for (int j = 0; j < n; j++) rowTotal += evaluation.Confusion[i, j];
            html += $"<tr><th style=\"text-align:right;font-weight:normal;padding-right:6px\">{Html.Escape(evaluation.Classes[i])}</th>";
            for (int j = 0; j < n; j++)
            {
                int count = evaluation.Confusion[i, j];
                double share = rowTotal == 0 ? 0 : (double)count / rowTotal;
                var background = i == j
                    ? $"rgba(42,125,42,{share:F2})"
                    : $"rgba(204,51,51,{share:F2})";
                var colour = share > 0.55 ? "#fff" : "#222";
                html += string.Create(CultureInfo.InvariantCulture,
                    $"<td {cell};background:{background};color:{colour}\" title=\"true {Html.Escape(evaluation.Classes[i])}, predicted {Html.Escape(evaluation.Classes[j])}: {count} of {rowTotal} ({share:0%})\">{(count == 0 ? "" : count.ToString(CultureInfo.InvariantCulture))}</td>");
            }
            html += "</tr>";
        }
        return html + "</table>";
    }

    const string Number = "style=\"text-align:right;padding:1px 8px\"";

    static string PerClass(Evaluation evaluation) =>
        $"<table class=\"nbkit-per-class\" style=\"border-collapse:collapse\"><tr><th style=\"text-align:left\">class</th><th {Number}>precision</th><th {Number}>recall</th><th {Number}>F1</th><th {Number}>support</th></tr>"
        + string.Concat(evaluation.PerClass.Select(c => string.Create(CultureInfo.InvariantCulture,
            $"<tr><td>{Html.Escape(c.Class)}</td><td {Number}>{c.Precision:P1}</td><td {Number}>{c.Recall:P1}</td><td {Number}>{c.F1:F3}</td><td {Number}>{c.Support}</td></tr>")))
        + "</table>";
}
