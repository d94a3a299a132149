namespace NotebookKit.Reports;

/// <summary>Writes a report's files (JSON and HTML) into its folder.</summary>
public static class ReportFiles
{
    /// <summary>
    /// Writes <paramref name="json"/> (in the kit's JSON style) and <paramref name="html"/> into <paramref name="folder"/>,
    /// creating it; returns the page's full path.
    /// </summary>
    public static string Write(string folder, string jsonName, object json, string htmlName, string html)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, jsonName), ReportJson.Serialize(json));
        var page = Path.GetFullPath(Path.Combine(folder, htmlName));
        File.WriteAllText(page, html);
        return page;
    }
}
