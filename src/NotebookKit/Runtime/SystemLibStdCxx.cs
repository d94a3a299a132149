namespace NotebookKit.Runtime;

/// <summary>Finds the libstdc++ that this process uses and the symbol versions it provides.</summary>
public static class SystemLibStdCxx
{
    static readonly string[] WellKnownDirectories =
    [
        "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib/aarch64-linux-gnu",
        "/usr/lib64", "/lib64", "/usr/lib", "/lib",
    ];

    /// <summary>
    /// The path of libstdc++.so.6 as the dynamic loader resolves it for this process: the copy already
    /// mapped (the .NET runtime links it), else the first in the usual library directories; null when none.
    /// </summary>
    public static string? Locate()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                int slash = line.IndexOf('/');
                if (slash < 0) continue;
                var mapped = line[slash..].Trim();
                if (Path.GetFileName(mapped).StartsWith("libstdc++.so.6", StringComparison.Ordinal)) return mapped;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return WellKnownDirectories.Select(d => Path.Combine(d, "libstdc++.so.6")).FirstOrDefault(File.Exists);
    }

    /// <summary>The version names (e.g. GLIBCXX_3.4.30) the given libstdc++ defines.</summary>
    public static IReadOnlySet<string> ProvidedVersions(string libStdCxxPath) =>
        ElfFile.Read(libStdCxxPath).VersionDefinitions.ToHashSet(StringComparer.Ordinal);

    /// <summary>The highest GLIBCXX_3.4.N version in <paramref name="provided"/>, for display.</summary>
    public static string? Newest(IEnumerable<string> provided) => provided
        .Where(v => v.StartsWith("GLIBCXX_3.4", StringComparison.Ordinal))
        .OrderBy(v => v.Length == "GLIBCXX_3.4".Length ? 0 : int.Parse(v["GLIBCXX_3.4.".Length..], System.Globalization.CultureInfo.InvariantCulture))
        .LastOrDefault();
}
