using System.Globalization;
using System.Net;
using System.Text;

namespace NotebookKit.Charts;

/// <summary>
/// The HTML helpers of every page and view the kit writes (reports, notebook views, apps): any string from data or the
/// user (class names, file names, numbers formatted as text) goes through <see cref="Escape"/> before it enters HTML,
/// JSON goes through <see cref="ScriptJson"/> before it enters an inline script, and text drawn by plotly.js (trace
/// names, axis categories, titles) through <see cref="ChartText"/>.
/// </summary>
public static class Html
{
    /// <summary>The value as text, HTML-escaped for element content and quoted attributes (invariant culture).</summary>
    public static string Escape(object? value) => WebUtility.HtmlEncode(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");

    /// <summary>
    /// JSON text made safe inside an inline <c>&lt;script&gt;</c>: every <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c> (and the
    /// line separators U+2028, U+2029) becomes its <c>\uXXXX</c> escape. In JSON these characters occur only inside strings,
    /// where the escape stands for the same character, so the value is unchanged (for JSON and JavaScript alike), and
    /// neither <c>&lt;/script&gt;</c> nor <c>&lt;!--</c> can appear in the page, whatever the strings hold.
    /// </summary>
    public static string ScriptJson(string json)
    {
        var safe = new StringBuilder(json.Length + 16);
        foreach (char c in json)
            if (c is '<' or '>' or '&' or '\u2028' or '\u2029') safe.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else safe.Append(c);
        return safe.ToString();
    }

    /// <summary>
    /// Text for plotly.js to draw (trace names, axis categories, titles): plotly.js reads a few HTML tags (<c>&lt;b&gt;</c>,
    /// <c>&lt;a href&gt;</c>, <c>&lt;br&gt;</c>…) and entities in them, so <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> are written as
    /// entities: a class called <c>&lt;b&gt;cat&lt;/b&gt;</c> shows as those characters, not as a bold "cat". Embed the chart
    /// with <see cref="OfflineChart"/>, which escapes its JSON for the script it lands in.
    /// </summary>
    public static string ChartText(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>A fraction as a percentage with one decimal ("81.6%"), or "-" for NaN.</summary>
    public static string Percent(double fraction) => double.IsNaN(fraction) ? "-" : fraction.ToString("P1", CultureInfo.InvariantCulture);

    /// <summary>A two-column key/value table; keys are escaped, values are HTML already.</summary>
    public static string KeyValueTable(IEnumerable<(string Key, string ValueHtml)> rows) =>
        "<table style=\"border-collapse:collapse\">" +
        string.Concat(rows.Select(r => $"<tr><th style=\"text-align:left;padding:2px 10px 2px 0\">{Escape(r.Key)}</th><td style=\"text-align:left\">{r.ValueHtml}</td></tr>")) +
        "</table>";
}
