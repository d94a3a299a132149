using System.CommandLine;

namespace NotebookKit.Cli.Commands;

/// <summary>Options every command shares.</summary>
static class CommonOptions
{
    /// <summary>A fresh <c>--json</c> option (an option instance belongs to one command).</summary>
    public static Option<bool> Json() => new("--json") { Description = "Print one JSON object on standard output instead of tables." };

    /// <summary>A fresh <c>--allow-partial-weights</c> option, for the commands that load weights.</summary>
    public static Option<bool> AllowPartialWeights() => new("--allow-partial-weights")
    {
        Description = "Load only the keys of --weights that fit --arch (surgery experiments); the output says so. Default: weights that do not fit are refused.",
    };

    /// <summary>
    /// Says that the weights were loaded in part (allowed by <c>--allow-partial-weights</c>): a line on standard error,
    /// so it shows with --json too. Nothing for a complete load.
    /// </summary>
    public static void WarnIfPartial(NotebookKit.Models.LoadReport? report)
    {
        if (report?.PartialNote is { } note) Console.Error.WriteLine(Term.Plain($"nbkit: warning: {note} ({report})."));
    }

    /// <summary>Says which files could not be decoded and were left out of training and validation (on standard error).</summary>
    public static void WarnIfSkipped(IReadOnlyList<NotebookKit.Data.DataProblem> skipped)
    {
        if (skipped.Count == 0) return;
        Console.Error.WriteLine($"nbkit: warning: {skipped.Count} file(s) could not be decoded and were left out of every run: "
            + string.Join("; ", skipped.Take(5).Select(p => NotebookKit.TerminalText.Escape($"{p.Path}: {p.Reason}")))
            + (skipped.Count > 5 ? $"; and {skipped.Count - 5} more" : "") + ". `nbkit data inspect` lists them all.");
    }
}
