using System.Text.Json;
using TorchSharp;

namespace NotebookKit.Runtime;

/// <summary>
/// The one entry point that makes TorchSharp usable: applies the Linux libstdc++ fix where needed,
/// loads the native backend, and picks the device (CUDA when available, else CPU).
/// Call <see cref="Initialize"/> before the first tensor; every kit entry point does.
/// </summary>
public static class TorchRuntime
{
    static readonly Lock gate = new();
    static TorchStatus? status;

    /// <summary>The device chosen by <see cref="Initialize"/> (CPU until then).</summary>
    public static torch.Device Device => status?.Loaded == true && status.Cuda ? torch.CUDA : torch.CPU;

    /// <summary>
    /// Loads TorchSharp once per process and reports what happened. Never throws: a failure to load
    /// is described in <see cref="TorchStatus.Error"/> with the fix.
    /// </summary>
    /// <param name="log">Receives one line naming the device (and the libstdc++ fix when it was applied).</param>
    public static TorchStatus Initialize(Action<string>? log = null)
    {
        lock (gate)
        {
            if (status is null)
            {
                status = Load();
                log?.Invoke(status.Summary);
            }
            return status;
        }
    }

    /// <summary>Like <see cref="Initialize"/>, but throws <see cref="TorchUnavailableException"/> when torch cannot load.</summary>
    public static TorchStatus Require(Action<string>? log = null)
    {
        var s = Initialize(log);
        return s.Loaded ? s : throw new TorchUnavailableException(s);
    }

    static TorchStatus Load()
    {
        var fix = TorchSharpNativeFix.EnsureApplied();
        try
        {
            bool cuda = torch.cuda.is_available();
            OneDnn.ApplyMode();
            // Notebook hosts need the CUDA backend initialised explicitly before first use (TorchSharp #1491).
            if (cuda) torch.InitializeDeviceType(DeviceType.CUDA);
            return new TorchStatus(
                Loaded: true,
                TorchSharpVersion: typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "unknown",
                LibTorchVersion: LibTorchPackageVersion() ?? torch.__version__,
                Cuda: cuda,
                DeviceName: cuda ? CudaDeviceName() : "cpu",
                Threads: torch.get_num_threads(),
                NativeFix: fix,
                Error: null);
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or NotSupportedException or InvalidOperationException)
        {
            return new TorchStatus(false, typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "unknown", LibTorchPackageVersion(),
                Cuda: false, DeviceName: "none", Threads: 0, NativeFix: fix, Error: Explain(e, fix));
        }
    }

    static string Explain(Exception e, NativeFixReport fix)
    {
        var message = string.Join(" -> ", Chain(e).Select(x => x.Message));
        if (fix.Incompatible.Any())
            return $"{message}\nFix: this system's libstdc++ ({fix.NewestGlibcxx}) lacks versions TorchSharp really uses: "
                + string.Join("; ", fix.Incompatible.SelectMany(i => i.Blocking)) + ". Install a newer libstdc++6 (GCC 13 or later) or use a newer distribution.";
        if (fix.Errors.Count > 0)
            return $"{message}\nFix: the libstdc++ compatibility patch could not be written ({string.Join("; ", fix.Errors)}). "
                + "Run `nbkit doctor` as a user who can write the NuGet cache, or delete the folder named and run `dotnet restore` again.";
        return $"{message}\nFix: run `environment/setup.sh` (Linux/macOS) or `environment/setup.ps1` (Windows), which restores the libtorch package for this platform; "
            + "on Linux, `ldd` on libLibTorchSharp.so shows which system library is missing.";
    }

    static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException) yield return x;
    }

    /// <summary>The version of the libtorch package this application was built with, from its deps file.</summary>
    static string? LibTorchPackageVersion()
    {
        if (AppContext.GetData("APP_CONTEXT_DEPS_FILES") is not string depsFiles) return null;
        foreach (var file in depsFiles.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(file));
                if (!doc.RootElement.TryGetProperty("libraries", out var libraries)) continue;
                foreach (var library in libraries.EnumerateObject())
                {
                    if (library.Name.StartsWith("libtorch-", StringComparison.OrdinalIgnoreCase))
                        return library.Name[(library.Name.IndexOf('/') + 1)..];
                    if (library.Name.StartsWith("TorchSharp-cuda", StringComparison.OrdinalIgnoreCase) || library.Name.StartsWith("TorchSharp-cpu", StringComparison.OrdinalIgnoreCase))
                        return library.Name;
                }
            }
            catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException) { }
        }
        return null;
    }

    static string CudaDeviceName()
    {
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("nvidia-smi", "--query-gpu=name --format=csv,noheader")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            });
            if (process is null) return "cuda:0";
            var name = process.StandardOutput.ReadLine();
            process.WaitForExit(5000);
            return string.IsNullOrWhiteSpace(name) ? "cuda:0" : $"cuda:0 ({name.Trim()})";
        }
        catch (System.ComponentModel.Win32Exception) { return "cuda:0"; }
    }
}
