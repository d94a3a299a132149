using System.Runtime.InteropServices;
using NotebookKit.Runtime;

namespace NotebookKit.Diagnostics;

/// <summary>Everything a user (or a workshop helper) needs to know about why the kit does or does not work here.</summary>
/// <param name="Os">Operating system and architecture.</param>
/// <param name="Dotnet">The .NET runtime version.</param>
/// <param name="Torch">Whether torch loads, on which device.</param>
/// <param name="Libstdcxx">The Linux libstdc++ compatibility check and what it patched.</param>
/// <param name="WeightsCache">The weights cache folder and what it holds.</param>
/// <param name="NotebookTools">Notebook tooling found on this machine.</param>
/// <param name="Onednn">The oneDNN switch and whether training keeps it on.</param>
public sealed record DoctorReport(string Os, string Dotnet, TorchReport Torch, LibStdCxxReport Libstdcxx, CacheReport WeightsCache, NotebookToolsReport NotebookTools, OneDnnReport Onednn)
{
    /// <summary>Runs every check. Loads torch (and applies the Linux fix where needed).</summary>
    public static DoctorReport Collect()
    {
        var torch = TorchRuntime.Initialize();
        var fix = torch.NativeFix;
        return new DoctorReport(
            Os: $"{RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})",
            Dotnet: RuntimeInformation.FrameworkDescription,
            Torch: new TorchReport(torch.Loaded, torch.TorchSharpVersion, torch.LibTorchVersion, torch.Cuda, torch.DeviceName, torch.Threads, torch.Error),
            Libstdcxx: new LibStdCxxReport(
                Path: fix.LibStdCxx,
                Newest: fix.NewestGlibcxx,
                Note: fix.Note,
                Libraries: fix.Libraries.Select(l => new LibraryReport(l.Path, System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(l.State.ToString()), l.MissingVersions, l.Blocking)).ToList(),
                Errors: fix.Errors),
            WeightsCache: CacheReport.Of(KitPaths.Weights),
            NotebookTools: NotebookToolsReport.Detect(),
            Onednn: new OneDnnReport(OneDnn.Mode, OneDnn.Available, torch.Loaded && OneDnn.Enabled, BackwardOff: OneDnn.Mode == "off"));
    }
}

/// <summary>
/// oneDNN: the mode (NBKIT_ONEDNN), whether the switch is reachable, whether oneDNN is on, and whether the kit's ResNets
/// train with it off in backward (only with NBKIT_ONEDNN=off: their strided projections avoid the kernel that crashed).
/// </summary>
public sealed record OneDnnReport(string Mode, bool Switch, bool Enabled, bool BackwardOff);

/// <summary>The torch part of the doctor's report.</summary>
public sealed record TorchReport(bool Loaded, string Version, string? Libtorch, bool Cuda, string Device, int Threads, string? Error);

/// <summary>The libstdc++ part of the doctor's report.</summary>
public sealed record LibStdCxxReport(string? Path, string? Newest, string? Note, IReadOnlyList<LibraryReport> Libraries, IReadOnlyList<string> Errors);

/// <summary>One copy of libLibTorchSharp.so and its state: compatible, patched, already_patched, needspatch, incompatible.</summary>
public sealed record LibraryReport(string Path, string State, IReadOnlyList<string> Missing, IReadOnlyList<string> Blocking);

/// <summary>A cache folder and its files.</summary>
public sealed record CacheReport(string Path, bool Exists, IReadOnlyList<CachedFile> Files, string Override)
{
    /// <summary>Lists <paramref name="folder"/> (files at any depth, largest first).</summary>
    public static CacheReport Of(string folder)
    {
        var files = Directory.Exists(folder)
            ? new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories)
                .Select(f => new CachedFile(System.IO.Path.GetRelativePath(folder, f.FullName), f.Length))
                .OrderByDescending(f => f.Bytes).ToList()
            : [];
        return new CacheReport(folder, Directory.Exists(folder), files, $"set {KitPaths.HomeVariable} to move it");
    }
}

/// <summary>A file in a cache.</summary>
public sealed record CachedFile(string Name, long Bytes);

/// <summary>Notebook tooling: the local .NET tools, Jupyter and the registered .NET kernels.</summary>
public sealed record NotebookToolsReport(bool DotnetInteractive, bool DotnetRepl, string? Jupyter, IReadOnlyList<string> JupyterKernels)
{
    /// <summary>Looks for the tools in the repository's tool manifest and on PATH, and for registered kernels.</summary>
    public static NotebookToolsReport Detect()
    {
        var manifest = FindUpwards(".config/dotnet-tools.json");
        string manifestText = manifest is null ? "" : File.ReadAllText(manifest);
        var jupyter = OnPath("jupyter");
        var kernels = new List<string>();
        foreach (var root in JupyterDataDirectories())
        {
            var folder = System.IO.Path.Combine(root, "kernels");
            if (!Directory.Exists(folder)) continue;
            kernels.AddRange(Directory.EnumerateDirectories(folder, ".net-*").Select(d => System.IO.Path.GetFileName(d)!));
        }
        return new NotebookToolsReport(
            DotnetInteractive: manifestText.Contains("microsoft.dotnet-interactive", StringComparison.OrdinalIgnoreCase) || OnPath("dotnet-interactive") is not null,
            DotnetRepl: manifestText.Contains("dotnet-repl", StringComparison.OrdinalIgnoreCase) || OnPath("dotnet-repl") is not null,
            Jupyter: jupyter,
            JupyterKernels: kernels.Distinct().Order().ToList());
    }

    static IEnumerable<string> JupyterDataDirectories()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var fromEnvironment = Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR");
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) yield return fromEnvironment;
        yield return System.IO.Path.Combine(home, ".local", "share", "jupyter");
        yield return System.IO.Path.Combine(home, "Library", "Jupyter");
        yield return System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "jupyter");
        yield return "/usr/local/share/jupyter";
        yield return "/usr/share/jupyter";
    }

    static string? FindUpwards(string relative)
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    static string? OnPath(string command)
    {
        var names = OperatingSystem.IsWindows() ? new[] { command + ".exe", command + ".cmd" } : new[] { command };
        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(dir => names.Select(n => System.IO.Path.Combine(dir, n)))
            .FirstOrDefault(File.Exists);
    }
}
