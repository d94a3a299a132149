using System.CommandLine;
using NotebookKit.Cli;
using NotebookKit.Cli.Commands;

var root = new RootCommand("nbkit: transfer learning vs fine-tuning, measured on your own images.")
{
    DoctorCommand.Create(),
    DataCommand.Create(),
    BenchCommand.Create(),
    ModelCommand.Create(),
    PredictCommand.Predict(),
    PredictCommand.Features(),
    ExportCommand.Create(),
    WeightsCommand.Create(),
    TrainCommand.Create(),
    CompareCommand.Create(),
    StudyCommand.Create(),
    TransferabilityCommand.Create(),
    DevCommand.Create(),
};
Interrupts.Install();
try
{
    var parse = root.Parse(args);
    // With --json every failure, from a bad argument to a full disk, also prints one JSON error object on standard output.
    CliErrors.Json = JsonRequested(parse, args);
    // A command that runs, given a bad option value: one line per problem (option, value, what is accepted), exit 2.
    // A command that only groups others (`nbkit`, `nbkit data`) keeps the default: the error and the help that lists them,
    // unless --json was asked for (then the JSON error object, and no help text on standard output).
    if (parse.Errors.Count > 0 && parse.Action is System.CommandLine.Invocation.ParseErrorAction && (parse.CommandResult.Command.Action is not null || CliErrors.Json))
        return CliErrors.Report(parse.Errors.Select(e => e.Message).ToList(), 2);
    return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e)
{
    // Expected failures (bad input, missing files, offline) say what and how to fix; anything else is reported as a bug.
    return NotebookKit.Cli.CliErrors.Report(e);
}

// Whether the command line asks for JSON: the command's own --json option when it has one (read leniently: the rest of
// the line may be what failed to parse), else a literal --json (an unknown command, or a group such as `nbkit data`).
static bool JsonRequested(ParseResult parse, string[] args)
{
    if (parse.CommandResult.Command.Options.OfType<Option<bool>>().FirstOrDefault(o => o.Name == "--json") is { } json)
    {
        if (parse.GetResult(json) is not { Implicit: false } given) return false;
        return given.Tokens.Count == 0 || !bool.TryParse(given.Tokens[0].Value, out bool value) || value;
    }
    return args.Contains("--json");
}
