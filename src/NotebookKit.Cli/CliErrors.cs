namespace NotebookKit.Cli;

/// <summary>
/// The command line's one exception boundary: every failure ends with one line on standard error and an exit code,
/// never a stack trace. Kit failures (<see cref="KitException"/>) and bad arguments say what to fix (exit 2, or the
/// exception's own code); file-system failures name the path (exit 1); anything else is a bug, said as such (exit 1),
/// with the stack trace only when <c>NBKIT_TRACE=1</c>. No list of types to keep up to date: a new exception type
/// cannot slip through as a crash. With <c>--json</c> (<see cref="Json"/>), the same failure is also written on standard
/// output as one JSON object, <c>{"error": ..., "exit_code": ...}</c>, whichever command, option or step failed.
/// </summary>
static class CliErrors
{
    /// <summary>The environment variable that adds the stack trace to the one line.</summary>
    public const string TraceVariable = "NBKIT_TRACE";

    static int jsonWritten;

    /// <summary>Whether the command line asked for <c>--json</c>: failures then also go to standard output as JSON.</summary>
    public static bool Json { get; set; }

    /// <summary>Prints <paramref name="error"/> as one line (and, with <see cref="Json"/>, as a JSON object) and returns the exit code.</summary>
    public static int Report(Exception error, TextWriter? output = null)
    {
        output ??= Console.Error;
        var (code, message) = Describe(error is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerException! : error);
        output.WriteLine($"nbkit: {Term.Plain(message)}");
        if (Environment.GetEnvironmentVariable(TraceVariable) is "1" or "true") output.WriteLine(error);
        WriteJson(message, code);
        return code;
    }

    /// <summary>Prints a failure that is no exception (bad arguments: one line per problem) and returns <paramref name="code"/>.</summary>
    public static int Report(IReadOnlyList<string> problems, int code)
    {
        foreach (var problem in problems) Console.Error.WriteLine($"nbkit: {Term.Plain(problem)}");
        WriteJson(string.Join(" ", problems), code);
        return code;
    }

    /// <summary>Notes that standard output has its JSON object (a result, or an error): no second one is written.</summary>
    public static bool JsonWritten() => Interlocked.Exchange(ref jsonWritten, 1) != 0;

    /// <summary>
    /// With <see cref="Json"/>, the failure as JSON on standard output, unless a JSON object is there already (a result
    /// printed before a late failure, or a second Ctrl-C racing a reported error): standard output holds exactly one.
    /// </summary>
    static void WriteJson(string message, int code)
    {
        if (!Json || JsonWritten()) return;
        try { Console.Out.WriteLine(KitJson.Serialize(new { error = message, exit_code = code })); }
        catch (IOException) { } // standard output itself is gone (a closed pipe, a full disk): standard error has said it
    }

    static (int Code, string Message) Describe(Exception e) => e switch
    {
        KitException kit => (kit.ExitCode, kit.Message),
        ArgumentException { ParamName: { } name } arg => (2, arg.Message.Replace($" (Parameter '{name}')", "")),
        ArgumentException arg => (2, arg.Message),
        OperationCanceledException => (130, "stopped; nothing was kept (this command has no --resume)."),
        UnauthorizedAccessException denied => (1, $"{denied.Message} Check the permissions, or choose another folder (--out, NBKIT_HOME)."),
        PathTooLongException tooLong => (1, tooLong.Message),
        IOException io => (1, io.Message),
        InvalidOperationException or NotSupportedException or InvalidDataException => (2, e.Message),
        _ => (1, $"internal error ({e.GetType().Name}: {e.Message}). This is a bug in nbkit; please report it with the command line. Set {TraceVariable}=1 to see the stack trace."),
    };
}
