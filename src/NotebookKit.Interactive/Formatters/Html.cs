using System.Net;

namespace NotebookKit.Interactive.Formatters;

/// <summary>Small helpers for the formatters' HTML.</summary>
static class Html
{
    public const string Mime = "text/html";

    public static string E(object? value) => WebUtility.HtmlEncode(value?.ToString() ?? "");

    /// <summary>A two-column key/value table.</summary>
    public static string Table(IEnumerable<(string Key, string ValueHtml)> rows) =>
        "<table style=\"border-collapse:collapse\">" +
        string.Concat(rows.Select(r => $"<tr><th style=\"text-align:left;padding:2px 10px 2px 0\">{E(r.Key)}</th><td style=\"text-align:left\">{r.ValueHtml}</td></tr>")) +
        "</table>";
}
