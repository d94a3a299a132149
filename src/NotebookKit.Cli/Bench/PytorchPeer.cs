using System.Diagnostics;
using System.Text.Json;

namespace NotebookKit.Cli.Bench;

/// <summary>
/// Runs a reference script under the project's PyTorch peer (shared/tools/pytorch-peer: Debian's PyTorch 1.13,
/// torchvision 0.14, Pillow, unpacked in a private folder) to measure the same work in the same run.
/// </summary>
static class PytorchPeer
{
    /// <summary>
    /// The peer: <c>--peer</c> (a path, or a command on PATH such as <c>python3</c>), else <c>NBKIT_PYTORCH_PEER</c>,
    /// else <c>shared/tools/pytorch-peer</c> beside the repository.
    /// </summary>
    public static string? Locate(string? explicitPath)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath)) return File.Exists(explicitPath) ? Path.GetFullPath(explicitPath) : OnPath(explicitPath);
        var fromEnvironment = Environment.GetEnvironmentVariable("NBKIT_PYTORCH_PEER");
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return File.Exists(fromEnvironment) ? fromEnvironment : null;
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "tools", "pytorch-peer");
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    static string? OnPath(string command)
    {
        if (command.Contains(Path.DirectorySeparatorChar) || command.Contains(Path.AltDirectorySeparatorChar)) return null;
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, command))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>Runs <paramref name="script"/> (a file next to nbkit under Bench/reference) and parses the JSON it prints last.</summary>
    public static JsonElement Run(string peer, string script, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(peer) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Bench", "reference", script));
        foreach (var a in arguments) start.ArgumentList.Add(a);
        // The peer's own LD_LIBRARY_PATH misses two folders on Debian 12 (libgloo, libnl); add them.
        var root = Path.Combine(Environment.GetEnvironmentVariable("PEER_DIR") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "pytorch-peer"), "root");
        var extra = $"{Path.Combine(root, "usr", "lib")}:{Path.Combine(root, "lib", "x86_64-linux-gnu")}";
        var existing = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH");
        start.Environment["LD_LIBRARY_PATH"] = string.IsNullOrEmpty(existing) ? extra : $"{extra}:{existing}";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {peer}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{peer} {script} ran over {timeout.TotalMinutes:F0} minutes");
        }
        var lastLine = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (process.ExitCode != 0 || lastLine is null)
            throw new InvalidOperationException($"{peer} {script} failed (exit {process.ExitCode}): {stderr.Result[^Math.Min(2000, stderr.Result.Length)..]}");
        return JsonDocument.Parse(lastLine).RootElement.Clone();
    }
}
