namespace NotebookKit.Data;

/// <summary>
/// Lists the files of an image folder dataset with symbolic links followed once. A folder reached again (a link back
/// to an enclosing folder, i.e. a loop, or a second way into one folder) is not entered again; a file reached again by
/// another name is listed once; a link into another class's folder is not followed (its images belong to that class).
/// Each of these is a <see cref="DataProblem"/>. So a listing always ends, in memory bounded by the real tree, with
/// every file once.
/// </summary>
sealed class FolderListing(string root)
{
    readonly RealPaths real = new();
    readonly Dictionary<string, string> folders = new(RealPaths.Comparer); // real path -> where it was first met (relative)
    readonly Dictionary<string, string> files = new(RealPaths.Comparer);
    readonly List<(string Real, string Relative)> classes = [];
    readonly List<DataProblem> problems = [];

    /// <summary>Marks a folder that encloses classes (the root, a split folder): a link back to it is a loop.</summary>
    public void Enclose(string folder) => folders.TryAdd(real.Folder(folder), Relative(folder));

    /// <summary>Claims a class folder before any listing; false (and a problem) when it is the same folder as one claimed before.</summary>
    public bool Claim(string folder)
    {
        string path;
        try { path = real.Folder(folder); }
        catch (IOException e) { problems.Add(new DataProblem(Relative(folder), $"a symbolic link loop ({e.Message}): skipped")); return false; }
        if (folders.TryGetValue(path, out var first))
        {
            problems.Add(new DataProblem(Relative(folder), $"the same folder as {first} (through a symbolic link): skipped, its images are listed once"));
            return false;
        }
        folders[path] = Relative(folder);
        classes.Add((path, Relative(folder)));
        return true;
    }

    /// <summary>The problems found since the last call.</summary>
    public List<DataProblem> TakeProblems()
    {
        var taken = problems.ToList();
        problems.Clear();
        return taken;
    }

    /// <summary>Every file under a claimed class folder, at any depth, hidden names skipped, each real file once.</summary>
    public List<string> Files(string classFolder)
    {
        var result = new List<string>();
        var own = real.Folder(classFolder);
        Walk(classFolder, own, own, result);
        return result;
    }

    void Walk(string folder, string realFolder, string ownClass, List<string> result)
    {
        // The default options skip hidden and system files, as the kit did before links were followed once.
        var entries = new DirectoryInfo(folder)
            .EnumerateFileSystemInfos("*", new EnumerationOptions { IgnoreInaccessible = true })
            .Where(e => !e.Name.StartsWith('.'))
            .OrderBy(e => e.Name, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var relative = Relative(entry.FullName);
            string path;
            bool isFolder;
            if (entry.LinkTarget is { } target)
            {
                try { path = real.Of(entry.FullName); }
                catch (IOException) { problems.Add(new DataProblem(relative, $"a symbolic link loop (to {target}): not followed")); continue; }
                isFolder = Directory.Exists(path);
                if (!isFolder && !File.Exists(path)) { problems.Add(new DataProblem(relative, $"a broken symbolic link (to {target})")); continue; }
                var other = classes.FirstOrDefault(c => !RealPaths.Comparer.Equals(c.Real, ownClass) && IsWithin(path, c.Real));
                if (other.Real is not null)
                {
                    problems.Add(new DataProblem(relative, $"a symbolic link into the class folder {other.Relative}: not followed (its images belong to that class)"));
                    continue;
                }
            }
            else
            {
                path = Path.Combine(realFolder, entry.Name);
                isFolder = entry is DirectoryInfo;
            }

            if (isFolder)
            {
                if (folders.TryGetValue(path, out var first))
                {
                    problems.Add(new DataProblem(relative, IsWithin(realFolder, path)
                        ? $"a symbolic link back to {first} (a loop): not followed"
                        : $"the same folder as {first} (through a symbolic link): not listed again"));
                    continue;
                }
                folders[path] = relative;
                Walk(entry.FullName, path, ownClass, result);
            }
            else if (files.TryGetValue(path, out var first))
                problems.Add(new DataProblem(relative, $"the same file as {first} (through a symbolic link): counted once"));
            else
            {
                files[path] = relative;
                result.Add(entry.FullName);
            }
        }
    }

    static bool IsWithin(string path, string folder) =>
        RealPaths.Comparer.Equals(path, folder) || path.StartsWith(Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar, OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);

    string Relative(string path) => Path.GetRelativePath(root, path);
}
