using System.Runtime.InteropServices;
using NotebookKit.Experiments;

namespace NotebookKit.Cli;

/// <summary>
/// Ctrl-C (and SIGTERM) for long runs: the first one asks the run to stop at the end of the current batch, so the trainer
/// writes a consistent checkpoint and results and the command says how to resume; a second Ctrl-C quits at once
/// (exit 130), showing the terminal's cursor again, with every journal whole.
/// </summary>
/// <remarks>
/// Quitting at once must not run the process's normal exit while a libtorch call is under way on the training thread:
/// <see cref="Environment.Exit"/> runs libtorch's static destructors (thread pools, allocators) under that call, which
/// ended in a segmentation fault (exit 139) or in a native error reported as a bug. The second signal therefore waits for
/// a journal line being written to be whole (<see cref="RunLog.StopAppending"/>), then ends the process with the
/// system's immediate exit (<c>_exit</c>, <c>TerminateProcess</c>), which runs no destructors, finalizers or handlers.
/// Everything the kit writes is either a flushed journal line or a file replaced whole, so nothing else needs closing.
/// </remarks>
static class Interrupts
{
    /// <summary>The exit code after Ctrl-C, as a shell expects (128 + SIGINT).</summary>
    public const int ExitCode = 130;

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
        QuitNow();
    }

    /// <summary>Ends the process at once with <see cref="ExitCode"/>, leaving every journal whole (see the remarks).</summary>
    static void QuitNow()
    {
        bool whole = RunLog.StopAppending(TimeSpan.FromSeconds(10));
        try
        {
            Console.Error.Write("\u001b[?25h"); // the progress display hides the cursor
            CliErrors.Report(new QuitException(whole ? "quit." : "quit; a journal line was still being written after 10 s and may be incomplete (--resume drops it)."));
            Console.Out.Flush();
            Console.Error.Flush();
        }
        catch (IOException) { } // a closed terminal: nothing to tell
        ImmediateExit(ExitCode);
    }

    /// <summary>The operating system's immediate exit: no atexit handlers, static destructors or finalizers.</summary>
    static void ImmediateExit(int code)
    {
        if (OperatingSystem.IsWindows()) TerminateProcess(GetCurrentProcess(), (uint)code);
        else PosixExit(code);
        Environment.FailFast("nbkit: the immediate exit returned."); // unreachable
    }

    [DllImport("libc", EntryPoint = "_exit")]
    static extern void PosixExit(int status);

    [DllImport("kernel32.dll")]
    static extern nint GetCurrentProcess();

    [DllImport("kernel32.dll")]
    [return: MarshalAs(UnmanagedType.Bool)]
    static extern bool TerminateProcess(nint process, uint exitCode);

    /// <summary>
    /// The end of a stopped command: throws the failure the command line reports (exit 130, one line; with --json also
    /// the JSON error object), saying how to resume.
    /// </summary>
    public static int ReportStopped(string? resumable) => throw new QuitException(resumable is null
        ? "stopped. Nothing can be resumed: give --out DIR to keep checkpoints next time."
        : $"stopped; resume with --resume {resumable}");

    /// <summary>A run stopped by Ctrl-C: exit 130.</summary>
    sealed class QuitException(string message) : KitException(message)
    {
        public override int ExitCode => Interrupts.ExitCode;
    }
}
