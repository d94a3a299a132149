using System.Runtime.InteropServices;

namespace NotebookKit.Tests.Support;

/// <summary>
/// Runs file-system code as an unprivileged user would see the files. The tests (and CI) run as root, for whom
/// permissions do not deny reading; on Linux, setfsuid(2) changes the file-system user of the calling thread only, and
/// leaving uid 0 drops that thread's permission-overriding capabilities until it is set back.
/// </summary>
static class Privileges
{
    [DllImport("libc", SetLastError = true)]
    static extern int setfsuid(uint fsuid);

    [DllImport("libc")]
    static extern uint geteuid();

    public static bool IsRoot => OperatingSystem.IsLinux() && geteuid() == 0;

    /// <summary>Runs <paramref name="action"/> on a thread of its own whose file accesses are checked as user nobody's (65534).</summary>
    public static T AsNobody<T>(Func<T> action)
    {
        if (!IsRoot) return action(); // permissions already apply
        T result = default!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            setfsuid(65534);
            try { result = action(); }
            catch (Exception e) { error = e; }
            finally { setfsuid(0); }
        });
        thread.Start();
        thread.Join();
        if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
        return result;
    }
}

/// <summary>A fact that needs root on Linux (bind mounts); skipped with the reason elsewhere.</summary>
sealed class LinuxRootFactAttribute : FactAttribute
{
    public LinuxRootFactAttribute()
    {
        if (!Privileges.IsRoot) Skip = "needs root on Linux (mount --bind)";
    }
}
