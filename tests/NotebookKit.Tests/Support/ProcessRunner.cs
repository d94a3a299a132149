using System.Diagnostics;
using System.Text;

namespace NotebookKit.Tests.Support;

/// <summary>The result of a finished process.</summary>
sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError, bool TimedOut)
{
    public string Tail(int characters = 4000)
    {
        var all = StandardOutput + "\n" + StandardError;
        return all.Length <= characters ? all : all[^characters..];
    }
}

/// <summary>Runs a command to completion with a time limit, killing the whole tree when it runs over.</summary>
static class ProcessRunner
{
    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, string workingDirectory,
        TimeSpan timeout, IDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) start.Environment.Remove(key);
            else start.Environment[key] = value;
        }

        using var process = new Process { StartInfo = start };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        bool finished = process.WaitForExit(timeout);
        if (!finished)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.WaitForExit();
        }
        else
        {
            process.WaitForExit(); // drain the asynchronous readers
        }
        return new ProcessResult(finished ? process.ExitCode : -1, stdout.ToString(), stderr.ToString(), !finished);
    }

    /// <summary>
    /// Starts a command and kills it (SIGKILL, the whole tree) as soon as <paramref name="killWhen"/> holds, polled every
    /// 50 ms. Returns true when it was killed, false when it ended first (or the time ran out).
    /// </summary>
    public static bool KillWhen(string fileName, IEnumerable<string> arguments, Func<bool> killWhen, TimeSpan timeout, IDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(fileName) { WorkingDirectory = Fixtures.RepositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>()) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var watch = Stopwatch.StartNew();
        while (!process.HasExited && watch.Elapsed < timeout)
        {
            if (killWhen())
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                return true;
            }
            Thread.Sleep(50);
        }
        if (!process.HasExited) { process.Kill(entireProcessTree: true); process.WaitForExit(); }
        return false;
    }

    /// <summary>Runs <c>dotnet</c> with the given arguments from the repository root.</summary>
    public static ProcessResult Dotnet(IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null,
        IDictionary<string, string?>? environment = null) =>
        Run("dotnet", arguments, workingDirectory ?? Fixtures.RepositoryRoot, timeout, environment);
}
