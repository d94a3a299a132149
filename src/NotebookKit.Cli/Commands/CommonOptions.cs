using System.CommandLine;

namespace NotebookKit.Cli.Commands;

/// <summary>Options every command shares.</summary>
static class CommonOptions
{
    /// <summary>A fresh <c>--json</c> option (an option instance belongs to one command).</summary>
    public static Option<bool> Json() => new("--json") { Description = "Print one JSON object on standard output instead of tables." };
}
