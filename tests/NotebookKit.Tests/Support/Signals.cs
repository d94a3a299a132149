using System.Diagnostics;

namespace NotebookKit.Tests.Support;

/// <summary>Sending Ctrl-C to a child process from a test.</summary>
static class Signals
{
    /// <summary>
    /// Ctrl-C is SIGINT. A process started from a background job of a non-interactive shell (some CI runners) inherits
    /// SIGINT as ignored, and keeps it ignored, as Unix wants; the kit handles SIGTERM the same way, so that is sent there.
    /// Whether it is ignored is read from the child itself: the test host's own mask can differ (the .NET runtime handles
    /// SIGINT in the test host, and gives its children the disposition it inherited).
    /// </summary>
    public static void CtrlC(Process process) =>
        Process.Start("kill", [SigintIgnored(process.Id) ? "-TERM" : "-INT", process.Id.ToString()])!.WaitForExit();

    /// <summary>Whether process <paramref name="pid"/> has SIGINT ignored, from /proc/PID/status's SigIgn mask.</summary>
    public static bool SigintIgnored(int pid)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
            return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & (1UL << (2 - 1))) != 0;
        }
        catch (IOException) { return false; } // it has ended
    }
}
