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
    // A command that runs, given a bad option value: one line per problem (option, value, what is accepted), exit 2.
    // A command that only groups others (`nbkit`, `nbkit data`) keeps the default: the error and the help that lists them.
    if (parse.Errors.Count > 0 && parse.Action is System.CommandLine.Invocation.ParseErrorAction && parse.CommandResult.Command.Action is not null)
    {
        foreach (var error in parse.Errors) Console.Error.WriteLine($"nbkit: {error.Message}");
        return 2;
    }
    return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e)
{
    // Expected failures (bad input, missing files, offline) say what and how to fix; anything else is reported as a bug.
    return NotebookKit.Cli.CliErrors.Report(e);
}
