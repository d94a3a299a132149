namespace NotebookKit.Runtime;

/// <summary>
/// Applies <see cref="LibStdCxxCompatibility"/> to every copy of <c>libLibTorchSharp.so</c> that
/// TorchSharp may load: the application's own output, the NuGet cache (package folder and the
/// "consolidated" folder TorchSharp creates for notebook hosts). On systems whose libstdc++ provides
/// every version, or on Windows and macOS, it reads and touches nothing.
/// </summary>
public static class TorchSharpNativeFix
{
    /// <summary>The native bridge library TorchSharp loads first.</summary>
    public const string BridgeLibrary = "libLibTorchSharp.so";

    /// <summary>Runs the fix once per process (later calls return the first report).</summary>
    public static NativeFixReport EnsureApplied() => cached.Value;

    static readonly Lazy<NativeFixReport> cached = new(() => Apply(CandidateLibraries()), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Checks (and where needed patches) the given library files.</summary>
    public static NativeFixReport Apply(IEnumerable<string> libraries)
    {
        if (!OperatingSystem.IsLinux()) return NativeFixReport.NotApplicable("not Linux: nothing to check");
        var libStdCxx = SystemLibStdCxx.Locate();
        if (libStdCxx is null) return NativeFixReport.NotApplicable("no libstdc++.so.6 found");

        IReadOnlySet<string> provided;
        try { provided = SystemLibStdCxx.ProvidedVersions(libStdCxx); }
        catch (Exception e) when (e is ElfFormatException or IOException or UnauthorizedAccessException)
        {
            return NativeFixReport.NotApplicable($"could not read {libStdCxx}: {e.Message}");
        }

        var verdicts = new List<LibraryVerdict>();
        var errors = new List<string>();
        foreach (var library in libraries.Distinct(StringComparer.Ordinal))
        {
            try { verdicts.Add(LibStdCxxCompatibility.Apply(library, provided)); }
            catch (Exception e) when (e is ElfFormatException or IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                errors.Add($"{library}: {e.Message}");
            }
        }
        return new NativeFixReport(libStdCxx, SystemLibStdCxx.Newest(provided), verdicts, errors, Note: null);
    }

    /// <summary>Every copy of the bridge library TorchSharp may load in this process or in a notebook kernel.</summary>
    public static IEnumerable<string> CandidateLibraries()
    {
        var found = new List<string>();
        var baseDir = AppContext.BaseDirectory;
        found.AddRange(FindUnder(baseDir, recursive: false));
        var runtimes = Path.Combine(baseDir, "runtimes");
        if (Directory.Exists(runtimes)) found.AddRange(FindUnder(runtimes, recursive: true));

        var torchSharpAssembly = typeof(TorchSharp.torch).Assembly.Location;
        if (!string.IsNullOrEmpty(torchSharpAssembly))
        {
            // When TorchSharp is loaded from the NuGet cache (notebooks), its package folder is three levels up.
            var package = Directory.GetParent(torchSharpAssembly)?.Parent?.Parent;
            if (package is not null && File.Exists(Path.Combine(package.FullName, "torchsharp.nuspec")))
                found.AddRange(FindUnder(package.FullName, recursive: true));
        }

        var cache = KitPaths.NuGetPackages;
        if (cache is not null && Directory.Exists(cache))
        {
            foreach (var package in Directory.EnumerateDirectories(cache, "torchsharp*"))
                found.AddRange(FindUnder(package, recursive: true));
        }
        return found.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal);
    }

    static IEnumerable<string> FindUnder(string directory, bool recursive)
    {
        try
        {
            return Directory.EnumerateFiles(directory, BridgeLibrary,
                new EnumerationOptions { RecurseSubdirectories = recursive, IgnoreInaccessible = true, MatchCasing = MatchCasing.CaseSensitive }).ToList();
        }
        catch (IOException) { return []; }
    }
}

/// <summary>What <see cref="TorchSharpNativeFix"/> found and did.</summary>
/// <param name="LibStdCxx">The system libstdc++ that was checked, if any.</param>
/// <param name="NewestGlibcxx">Its newest GLIBCXX version, e.g. GLIBCXX_3.4.30.</param>
/// <param name="Libraries">One verdict per copy of the bridge library.</param>
/// <param name="Errors">Copies that could not be read or written, with the reason.</param>
/// <param name="Note">Why nothing was checked, when that is the case.</param>
public sealed record NativeFixReport(string? LibStdCxx, string? NewestGlibcxx, IReadOnlyList<LibraryVerdict> Libraries, IReadOnlyList<string> Errors, string? Note)
{
    internal static NativeFixReport NotApplicable(string why) => new(null, null, [], [], why);

    /// <summary>Copies patched by this process.</summary>
    public IEnumerable<string> Patched => Libraries.Where(l => l.State == LibraryState.Patched).Select(l => l.Path);

    /// <summary>Copies that cannot be made to load on this system.</summary>
    public IEnumerable<LibraryVerdict> Incompatible => Libraries.Where(l => l.State == LibraryState.Incompatible);

    /// <summary>One line for logs and the doctor.</summary>
    public override string ToString()
    {
        if (Note is not null) return $"libstdc++ check: {Note}";
        var counts = Libraries.GroupBy(l => l.State).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}");
        return $"libstdc++ {NewestGlibcxx ?? "?"} ({LibStdCxx}): {TorchSharpNativeFix.BridgeLibrary} copies: {string.Join(", ", counts.DefaultIfEmpty("none found"))}"
            + (Errors.Count > 0 ? $"; {Errors.Count} could not be checked" : "");
    }
}
