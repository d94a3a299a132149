namespace NotebookKit;

/// <summary>
/// An expected failure whose message already says what went wrong (naming the file or option) and how to fix it:
/// bad input, a missing or unreadable file, no network, a diverging run. Every kit exception derives from it, so
/// the command line (and a notebook) can show the message alone, with no stack trace, and any other exception is
/// known to be a bug.
/// </summary>
public class KitException : Exception
{
    /// <summary>A failure described by <paramref name="message"/>.</summary>
    public KitException(string message, Exception? inner = null) : base(message, inner) { }

    /// <summary>
    /// The process exit code for this failure: 2 for input the user can correct (a bad option, file or dataset),
    /// 1 for a run that failed for another reason (the environment, a diverging loss). Default 2.
    /// </summary>
    public virtual int ExitCode => 2;
}
