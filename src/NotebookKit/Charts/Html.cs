using System.Globalization;
using System.Net;

namespace NotebookKit.Charts;

/// <summary>
/// The HTML helpers of every page and view the kit writes (reports, notebook views, apps): any string from data or the
/// user (class names, file names, numbers formatted as text) goes through <see cref="Escape"/> before it enters HTML.
/// </summary>
public static class Html
{
    /// <summary>The value as text, HTML-escaped for element content and quoted attributes (invariant culture).</summary>
    public static string Escape(object? value) => WebUtility.HtmlEncode(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");

    /// <summary>A fraction as a percentage with one decimal ("81.6%"), or "-" for NaN.</summary>
    public static string Percent(double fraction) => double.IsNaN(fraction) ? "-" : fraction.ToString("P1", CultureInfo.InvariantCulture);

    /// <summary>A two-column key/value table; keys are escaped, values are HTML already.</summary>
    public static string KeyValueTable(IEnumerable<(string Key, string ValueHtml)> rows) =>
        "<table style=\"border-collapse:collapse\">" +
        string.Concat(rows.Select(r => $"<tr><th style=\"text-align:left;padding:2px 10px 2px 0\">{Escape(r.Key)}</th><td style=\"text-align:left\">{r.ValueHtml}</td></tr>")) +
        "</table>";
}
