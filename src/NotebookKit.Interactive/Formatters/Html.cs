namespace NotebookKit.Interactive.Formatters;

/// <summary>The formatters' MIME type and short names for the kit's HTML helpers (<see cref="Charts.Html"/>).</summary>
static class Html
{
    public const string Mime = "text/html";

    /// <summary><see cref="Charts.Html.Escape"/>.</summary>
    public static string E(object? value) => Charts.Html.Escape(value);

    /// <summary><see cref="Charts.Html.KeyValueTable"/>.</summary>
    public static string Table(IEnumerable<(string Key, string ValueHtml)> rows) => Charts.Html.KeyValueTable(rows);
}
