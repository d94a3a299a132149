using System.Runtime.InteropServices;

namespace NotebookKit.Cli;

/// <summary>
/// Ctrl-C (and SIGTERM) for long runs: the first one asks the run to stop at the end of the current batch, so the trainer
/// writes a consistent checkpoint and results and the command says how to resume; a second Ctrl-C quits at once
/// (exit 130), showing the terminal's cursor again.
/// </summary>
static class Interrupts
{
    static readonly CancellationTokenSource source = new();
    static readonly List<PosixSignalRegistration> registrations = [];
    static int count;

    /// <summary>Cancelled by the first Ctrl-C.</summary>
    public static CancellationToken Token => source.Token;

    /// <summary>Whether a stop was asked for.</summary>
    public static bool Stopped => source.IsCancellationRequested;

    /// <summary>Installs the handlers (once, at start-up).</summary>
    public static void Install()
    {
        registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal));
        registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal));
    }

    static void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true; // we decide when to exit
        if (Interlocked.Increment(ref count) == 1)
        {
            Console.Error.WriteLine("nbkit: stopping at the end of this batch; the finished work is kept (Ctrl-C again to quit at once).");
            source.Cancel();
            return;
        }
        Console.Error.Write("\u001b[?25h"); // the progress display hides the cursor
        Console.Error.WriteLine("nbkit: quit.");
        Environment.Exit(130);
    }

    /// <summary>The line a stopped command prints, and its exit code (130, as a shell expects after Ctrl-C).</summary>
    public static int ReportStopped(string? resumable)
    {
        Console.Error.WriteLine(resumable is null
            ? "nbkit: stopped. Nothing can be resumed: give --out DIR to keep checkpoints next time."
            : $"nbkit: stopped; resume with --resume {resumable}");
        return 130;
    }
}
