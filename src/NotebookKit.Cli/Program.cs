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
    return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e)
{
    // Expected failures (bad input, missing files, offline) say what and how to fix; anything else is reported as a bug.
    return NotebookKit.Cli.CliErrors.Report(e);
}
