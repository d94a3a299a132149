namespace NotebookKit.Data;

/// <summary>
/// Real paths (every symbolic link resolved, like POSIX <c>realpath</c>), so that one file reached by two names is
/// known as one. Folders are resolved once and remembered; a file costs one look at whether it is itself a link.
/// </summary>
sealed class RealPaths
{
    /// <summary>Most links followed to resolve one path (Linux's own limit).</summary>
    const int MaxLinks = 40;

    /// <summary>How the file system compares names: exactly on Linux, ignoring case on Windows and macOS.</summary>
    public static StringComparer Comparer { get; } = OperatingSystem.IsLinux() ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;

    readonly Dictionary<string, string> folders = new(Comparer);

    /// <summary>The real path of <paramref name="path"/> (a file or folder).</summary>
    /// <exception cref="IOException">A link loop (more than 40 links on the way).</exception>
    public string Of(string path)
    {
        var full = Path.GetFullPath(path);
        var parent = Path.GetDirectoryName(full);
        if (parent is null) return full;
        var realParent = Folder(parent);
        var here = Path.Combine(realParent, Path.GetFileName(full));
        return new FileInfo(here).LinkTarget is null ? here : Resolve(here);
    }

    /// <summary>The real path of a folder, remembered.</summary>
    public string Folder(string folder)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        if (!folders.TryGetValue(full, out var real)) folders[full] = real = Resolve(full);
        return real;
    }

    /// <summary>Resolves every component of <paramref name="path"/>, following links (relative ones from their own folder).</summary>
    static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        var current = Path.GetPathRoot(full)!;
        var pending = new Stack<string>(Parts(full[current.Length..]).Reverse());
        int links = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == ".") continue;
            if (part == "..") { current = Path.GetDirectoryName(current) ?? current; continue; }
            var next = Path.Combine(current, part);
            var target = new FileInfo(next).LinkTarget;
            if (target is null) { current = next; continue; }
            if (++links > MaxLinks) throw new IOException($"{path}: more than {MaxLinks} symbolic links on the way (a link loop).");
            var rest = target;
            if (Path.IsPathRooted(target))
            {
                current = Path.GetPathRoot(target)!;
                rest = target[current.Length..];
            }
            foreach (var p in Parts(rest).Reverse()) pending.Push(p);
        }
        return current;
    }

    static string[] Parts(string relative) =>
        relative.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
}
