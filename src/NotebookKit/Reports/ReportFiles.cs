namespace NotebookKit.Reports;

/// <summary>Writes a report's files (JSON and HTML) into its folder, replacing the old ones only once the new ones are complete.</summary>
public static class ReportFiles
{
    /// <summary>
    /// Writes <paramref name="json"/> (in the kit's JSON style) and <paramref name="html"/> into <paramref name="folder"/>:
    /// both go to temporary files first and are renamed over the old ones only when both are written, so a full disk or
    /// a kill leaves the previous report whole (and no temporary file behind). Returns the page's full path.
    /// </summary>
    public static string Write(string folder, string jsonName, object json, string htmlName, string html)
    {
        Directory.CreateDirectory(folder);
        var targets = new[] { (Path.GetFullPath(Path.Combine(folder, jsonName)), KitJson.Serialize(json)), (Path.GetFullPath(Path.Combine(folder, htmlName)), html) };
        var temps = targets.Select(t => $"{t.Item1}.tmp-{Environment.ProcessId}").ToArray();
        try
        {
            for (int i = 0; i < targets.Length; i++) File.WriteAllText(temps[i], targets[i].Item2);
            for (int i = 0; i < targets.Length; i++) File.Move(temps[i], targets[i].Item1, overwrite: true);
        }
        finally
        {
            foreach (var temp in temps) if (File.Exists(temp)) File.Delete(temp);
        }
        return targets[1].Item1;
    }
}
