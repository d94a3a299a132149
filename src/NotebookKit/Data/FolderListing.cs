namespace NotebookKit.Data;

/// <summary>
/// Lists the files of an image folder dataset with symbolic links followed once. Sameness is decided by file identity
/// (<see cref="FileIdentity"/>: device and inode), so symbolic links, hard links and bind mounts are all caught. A folder
/// reached again (a link or bind mount back to an enclosing folder, i.e. a loop, or a second way into one folder) is not
/// entered again; a file reached again by another name is listed once, under its own name rather than a link's when it
/// has one in that class; a link into another class's folder is not followed (its images belong to that class).
/// Each of these is a <see cref="DataProblem"/>, as is a folder that cannot be read. So a listing always ends, in memory
/// bounded by the real tree, with every file once.
/// </summary>
sealed class FolderListing(string root)
{
    readonly RealPaths real = new();
    readonly Dictionary<FileIdentity, string> folders = []; // identity -> where it was first met (relative)
    readonly Dictionary<FileIdentity, Listed> files = [];
    readonly HashSet<FileIdentity> enclosing = [];
    readonly List<(string Real, string Relative)> classes = [];
    readonly List<DataProblem> problems = [];

    /// <summary>Where a file was listed: its relative name, whether that name is a link, and its place in a class's list.</summary>
    sealed record Listed(string Relative, bool IsLink, List<string> List, int Index, string ClassRelative);

    /// <summary>Marks a folder that encloses classes (the root, a split folder): a link back to it is a loop.</summary>
    public void Enclose(string folder)
    {
        var identity = FileIdentity.Of(folder);
        enclosing.Add(identity);
        folders.TryAdd(identity, Relative(folder));
    }

    /// <summary>Claims a class folder before any listing; false (and a problem) when it is the same folder as one claimed before.</summary>
    public bool Claim(string folder)
    {
        string path;
        FileIdentity identity;
        try { path = real.Folder(folder); identity = FileIdentity.Of(folder); }
        catch (IOException e) { problems.Add(new DataProblem(Relative(folder), $"a symbolic link loop or an unreadable folder ({e.Message}): skipped")); return false; }
        if (folders.TryGetValue(identity, out var first))
        {
            problems.Add(new DataProblem(Relative(folder), enclosing.Contains(identity)
                ? $"the same folder as {first}, which encloses it (a link or mount loop): skipped"
                : $"the same folder as {first} (through a link or mount): skipped, its images are listed once"));
            return false;
        }
        folders[identity] = Relative(folder);
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

    /// <summary>
    /// Every file under a claimed class folder, at any depth, hidden names skipped, each real file once. A class folder
    /// that cannot be read (no permission) is a problem that says so and what it does to the classes, not an empty class:
    /// then the result is null.
    /// </summary>
    public List<string>? Files(string classFolder)
    {
        var result = new List<string>();
        var own = real.Folder(classFolder);
        var ancestors = new HashSet<FileIdentity>(enclosing) { FileIdentity.Of(classFolder) };
        return Walk(classFolder, own, own, Relative(classFolder), ancestors, result) ? result : null;
    }

    /// <summary>Lists <paramref name="folder"/> into <paramref name="result"/>; false when it cannot be read.</summary>
    bool Walk(string folder, string realFolder, string ownClass, string classRelative, HashSet<FileIdentity> ancestors, List<string> result)
    {
        List<FileSystemInfo> entries;
        try
        {
            // Hidden names are skipped, as the kit did before links were followed. Regular entries before links, so
            // that a file reached both by its own name and by a link is listed under its own name.
            entries = new DirectoryInfo(folder)
                .EnumerateFileSystemInfos("*", new EnumerationOptions { IgnoreInaccessible = false })
                .Where(e => !e.Name.StartsWith('.'))
                .OrderBy(e => e.LinkTarget is null ? 0 : 1).ThenBy(e => e.Name, StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            var relative = Relative(folder);
            problems.Add(new DataProblem(relative, relative == classRelative
                ? $"the class folder cannot be read ({Reason(e)}): class '{Path.GetFileName(folder)}' has no images and is left out, so the dataset has one class fewer. Fix its permissions (e.g. chmod -R a+rX) or remove it"
                : $"a folder that cannot be read ({Reason(e)}): its images are left out. Fix its permissions (e.g. chmod -R a+rX) or remove it"));
            return false;
        }
        foreach (var entry in entries)
        {
            var relative = Relative(entry.FullName);
            string path;
            bool isFolder, isLink = entry.LinkTarget is not null;
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

            FileIdentity identity;
            try { identity = FileIdentity.Of(entry.FullName); }
            catch (IOException e) { problems.Add(new DataProblem(relative, $"cannot be examined ({e.Message}): left out")); continue; }

            if (isFolder)
            {
                if (folders.TryGetValue(identity, out var first))
                {
                    problems.Add(new DataProblem(relative, ancestors.Contains(identity)
                        ? $"the same folder as {first}, which encloses it (a {(isLink ? "symbolic link" : "mount or hard link")} loop): not followed"
                        : $"the same folder as {first} (through a {(isLink ? "symbolic link" : "mount")}): not listed again"));
                    continue;
                }
                folders[identity] = relative;
                ancestors.Add(identity);
                Walk(entry.FullName, path, ownClass, classRelative, ancestors, result);
                ancestors.Remove(identity);
            }
            else if (files.TryGetValue(identity, out var first))
            {
                bool sameClass = ReferenceEquals(first.List, result);
                if (sameClass && first.IsLink && !isLink)
                {
                    // The real name wins over a link met earlier (in another sub-folder of the class).
                    result[first.Index] = entry.FullName;
                    files[identity] = first with { Relative = relative, IsLink = false };
                    problems.Add(new DataProblem(first.Relative, $"the same file as {relative} (through a symbolic link): counted once, as {relative}"));
                }
                else
                    problems.Add(new DataProblem(relative, sameClass || isLink
                        ? $"the same file as {first.Relative} (through a {(isLink ? "symbolic link" : "hard link")}): counted once"
                        : $"the same file as {first.Relative} (a hard link) in {(first.ClassRelative == classRelative ? "this class" : first.ClassRelative)}: counted once, there; check which class it belongs to"));
            }
            else
            {
                files[identity] = new Listed(relative, isLink, result, result.Count, classRelative);
                result.Add(entry.FullName);
            }
        }
        return true;
    }

    static string Reason(Exception e) => e is UnauthorizedAccessException ? "permission denied" : e.Message;

    static bool IsWithin(string path, string folder) =>
        RealPaths.Comparer.Equals(path, folder) || path.StartsWith(Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar, OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);

    string Relative(string path) => Path.GetRelativePath(root, path);
}
