namespace NotebookKit.Runtime;

/// <summary>
/// TorchSharp 0.107's <c>libLibTorchSharp.so</c> is built with GCC 13 and asks libstdc++ for
/// <c>GLIBCXX_3.4.32</c>, which Debian 12 and Ubuntu 22.04 lack. The only symbol behind it,
/// <c>std::ios_base_library_init()</c>, is a versioning-only reference that GCC 13's
/// <c>&lt;iostream&gt;</c> emits and no relocation uses. Marking that one need weak lets the library
/// load and compute correctly. This class decides whether a library needs that, and does it.
/// </summary>
public static class LibStdCxxCompatibility
{
    /// <summary>The soname whose version needs this fix is about.</summary>
    public const string LibStdCxx = "libstdc++.so.6";

    /// <summary>
    /// Symbols that compilers reference only to pin a version (no relocation uses them), so a missing
    /// version behind them is harmless. Anything else behind a missing version is a real dependency.
    /// </summary>
    public static readonly IReadOnlySet<string> VersioningOnlySymbols = new HashSet<string>(StringComparer.Ordinal)
    {
        "_ZSt21ios_base_library_initv", // std::ios_base_library_init(), GCC 13+ <iostream>
    };

    /// <summary>Decides what <paramref name="library"/> needs from a libstdc++ that provides <paramref name="provided"/>.</summary>
    public static LibraryVerdict Assess(string library, IReadOnlySet<string> provided)
    {
        var elf = ElfFile.Read(library);
        var missing = elf.VersionNeeds
            .Where(n => n.File == LibStdCxx && !provided.Contains(n.Name))
            .ToList();
        if (missing.Count == 0)
            return new LibraryVerdict(library, LibraryState.Compatible, [], []);

        var blocking = new List<string>();
        foreach (var need in missing)
        {
            var users = elf.DynamicSymbols.Where(s => s.VersionIndex == need.Index).Select(s => s.Name).ToList();
            var real = users.Where(u => !VersioningOnlySymbols.Contains(u)).ToList();
            if (real.Count > 0) blocking.Add($"{need.Name} (used by {string.Join(", ", real.Take(3))})");
        }
        var names = missing.Select(m => m.Name).ToList();
        if (blocking.Count > 0) return new LibraryVerdict(library, LibraryState.Incompatible, names, blocking);
        return missing.All(m => m.IsWeak)
            ? new LibraryVerdict(library, LibraryState.AlreadyPatched, names, [])
            : new LibraryVerdict(library, LibraryState.NeedsPatch, names, []);
    }

    /// <summary>Patches <paramref name="library"/> when <see cref="Assess"/> says it needs it; otherwise touches nothing.</summary>
    public static LibraryVerdict Apply(string library, IReadOnlySet<string> provided)
    {
        var verdict = Assess(library, provided);
        if (verdict.State != LibraryState.NeedsPatch) return verdict;
        WeakVersionPatcher.MarkWeak(library, LibStdCxx, verdict.MissingVersions.ToHashSet());
        var after = Assess(library, provided);
        return after with { State = after.State == LibraryState.AlreadyPatched ? LibraryState.Patched : after.State };
    }
}

/// <summary>What a library needs from the system's libstdc++.</summary>
public enum LibraryState
{
    /// <summary>Everything it needs is provided; nothing to do.</summary>
    Compatible,
    /// <summary>It needs versions the system lacks, all harmless: marking them weak fixes it.</summary>
    NeedsPatch,
    /// <summary>This call marked the missing versions weak.</summary>
    Patched,
    /// <summary>An earlier run marked the missing versions weak.</summary>
    AlreadyPatched,
    /// <summary>It needs symbols the system lacks for real: a newer libstdc++ is required.</summary>
    Incompatible,
}

/// <summary>The verdict on one library file.</summary>
/// <param name="Path">The library.</param>
/// <param name="State">What it needs, or what was done.</param>
/// <param name="MissingVersions">Versions it asks for that the system libstdc++ lacks.</param>
/// <param name="Blocking">Missing versions that real symbols depend on (why it cannot be patched).</param>
public sealed record LibraryVerdict(string Path, LibraryState State, IReadOnlyList<string> MissingVersions, IReadOnlyList<string> Blocking);
