using System.Globalization;

namespace NotebookKit;

/// <summary>
/// File habits every writer of the kit follows: write to a temporary file named after the process (<c>NAME.tmp-PID</c>,
/// <c>last.writing-PID</c>) and rename it into place, so a crash never leaves a file that looks complete when it is not;
/// and sweep the temporaries of processes that are gone.
/// </summary>
public static class KitFiles
{
    /// <summary>The temporary name for <paramref name="target"/> in this process.</summary>
    public static string TemporaryFor(string target) => $"{target}.tmp-{Environment.ProcessId}";

    /// <summary>Writes <paramref name="text"/> to a temporary file next to <paramref name="target"/> and renames it over.</summary>
    public static void WriteAtomically(string target, string text)
    {
        var temp = TemporaryFor(target);
        try
        {
            File.WriteAllText(temp, text);
            File.Move(temp, target, overwrite: true);
        }
        finally { if (File.Exists(temp)) File.Delete(temp); }
    }

    /// <summary>Deletes temporary files and folders of interrupted writes (<c>*.tmp-PID</c>, <c>*.writing-PID</c>) whose process is gone.</summary>
    public static void SweepTemporaries(string folder)
    {
        if (!Directory.Exists(folder)) return;
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder))
        {
            var name = Path.GetFileName(entry);
            int at = name.LastIndexOf(".tmp-", StringComparison.Ordinal) is >= 0 and var t ? t + 5
                : name.LastIndexOf(".writing-", StringComparison.Ordinal) is >= 0 and var w ? w + 9 : -1;
            if (at < 0 || !int.TryParse(name[at..], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || Alive(pid)) continue;
            try
            {
                if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
                else File.Delete(entry);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    static bool Alive(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try { using var p = System.Diagnostics.Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }
}
