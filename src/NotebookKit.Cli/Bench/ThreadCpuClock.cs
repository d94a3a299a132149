using System.Runtime.InteropServices;

namespace NotebookKit.Cli.Bench;

/// <summary>CPU time used so far by the calling thread (not wall time: a thread that waits uses none).</summary>
static class ThreadCpuClock
{
    /// <summary>The calling thread's CPU time, or null where the platform call is unavailable.</summary>
    public static TimeSpan? Now()
    {
        try
        {
            if (OperatingSystem.IsWindows())
                return GetThreadTimes(GetCurrentThread(), out _, out _, out long kernel, out long user) ? TimeSpan.FromTicks(kernel + user) : null;
            int clock = OperatingSystem.IsMacOS() ? 16 : 3; // CLOCK_THREAD_CPUTIME_ID
            return clock_gettime(clock, out var time) == 0 ? TimeSpan.FromTicks(time.Seconds * TimeSpan.TicksPerSecond + time.Nanoseconds / 100) : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", SetLastError = false)]
    static extern int clock_gettime(int clock, out Timespec time);

    [DllImport("kernel32.dll")]
    static extern IntPtr GetCurrentThread();

    [DllImport("kernel32.dll")]
    static extern bool GetThreadTimes(IntPtr thread, out long creation, out long exit, out long kernel, out long user);
}
