namespace NotebookKit.Data;

/// <summary>
/// A CSV listing with a header and the columns <c>path,label</c> (any order; extra columns ignored).
/// Paths are relative to the CSV's folder; labels are class names. Quoted fields may hold commas. A row naming a file
/// outside the CSV's folder (<c>../x.jpg</c>, an absolute path) is used but warned about; a file listed twice (also
/// through a symbolic link) is used once.
/// </summary>
public static class CsvDataset
{
    /// <summary>Reads <paramref name="csvPath"/>. Rows with a missing path or label are reported, not fatal.</summary>
    public static FileImageDataset Open(string csvPath)
    {
        csvPath = Path.GetFullPath(csvPath);
        if (!File.Exists(csvPath)) throw new DatasetException($"{csvPath}: file not found.");
        var root = Path.GetDirectoryName(csvPath)!;
        using var reader = new StreamReader(csvPath);
        var header = reader.ReadLine() ?? throw new DatasetException($"{csvPath}: empty file. Expected a header line 'path,label' and one row per image.");
        var columns = SplitRow(header).Select(c => c.Trim().ToLowerInvariant()).ToList();
        int pathColumn = columns.IndexOf("path"), labelColumn = columns.IndexOf("label");
        if (pathColumn < 0 || labelColumn < 0)
            throw new DatasetException($"{csvPath}: the header is '{header}'; expected columns 'path' and 'label' (e.g. 'path,label' then 'images/1.jpg,cat').");

        var rows = new List<(string Path, string Label)>();
        var problems = new List<DataProblem>();
        var outside = new List<string>();
        var real = new RealPaths();
        var firstLine = new Dictionary<string, int>(RealPaths.Comparer);
        var inside = Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar;
        int lineNumber = 1;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var fields = SplitRow(line);
            string path = fields.ElementAtOrDefault(pathColumn)?.Trim() ?? "", label = fields.ElementAtOrDefault(labelColumn)?.Trim() ?? "";
            if (path.Length == 0 || label.Length == 0)
            {
                problems.Add(new DataProblem($"{Path.GetFileName(csvPath)}:{lineNumber}", "row without a path or a label"));
                continue;
            }
            path = path.Replace('\\', Path.DirectorySeparatorChar).Replace('/', Path.DirectorySeparatorChar);
            var full = Path.GetFullPath(Path.Combine(root, path));
            if (!File.Exists(full))
            {
                problems.Add(new DataProblem(path, $"listed on line {lineNumber} of {Path.GetFileName(csvPath)} but not found"));
                continue;
            }
            string identity;
            try { identity = real.Of(full); }
            catch (IOException) { problems.Add(new DataProblem(path, $"listed on line {lineNumber}: a symbolic link loop")); continue; }
            if (firstLine.TryGetValue(identity, out int first))
            {
                problems.Add(new DataProblem(path, $"listed again on line {lineNumber} of {Path.GetFileName(csvPath)} (first on line {first}): used once"));
                continue;
            }
            firstLine[identity] = lineNumber;
            if (!full.StartsWith(inside, OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase))
                outside.Add($"{path} (line {lineNumber})");
            rows.Add((path, label));
        }
        var classes = rows.Select(r => r.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (classes.Count == 0) throw new DatasetException($"{csvPath}: no usable rows (see the problems reported).");
        var index = classes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        var warnings = outside.Count == 0 ? new List<string>() :
        [
            $"{Path.GetFileName(csvPath)}: {outside.Count} row(s) name files outside the CSV's folder {root}: {string.Join(", ", outside.Take(5))}{(outside.Count > 5 ? $" (+{outside.Count - 5} more)" : "")}. "
            + "They are used; make sure this CSV is the one you meant (a listing should point inside its own folder).",
        ];
        return new FileImageDataset(Path.GetFileNameWithoutExtension(csvPath), "csv", root, classes,
            rows.Select(r => (r.Path, index[r.Label])).ToList(), problems, warnings);
    }

    /// <summary>Splits one CSV row, honouring double quotes (<c>"a,b"</c>, <c>""</c> for a quote).</summary>
    internal static List<string> SplitRow(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else current.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        fields.Add(current.ToString());
        return fields;
    }
}
