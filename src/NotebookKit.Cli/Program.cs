using System.CommandLine;
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
    TransferabilityCommand.Create(),
    DevCommand.Create(),
};
try
{
    return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or InvalidDataException or NotSupportedException
    or NotebookKit.Data.DatasetException or NotebookKit.Data.BadImageException or NotebookKit.Downloads.DownloadException
    or NotebookKit.Models.WeightsFormatException or NotebookKit.Runtime.TorchUnavailableException or NotebookKit.Training.TrainingDivergedException)
{
    // Expected failures (bad input, missing files, offline): the message says what and how to fix it; no stack trace.
    var message = e is ArgumentException { ParamName: { } name } ? e.Message.Replace($" (Parameter '{name}')", "") : e.Message;
    Console.Error.WriteLine($"nbkit: {message}");
    return 2;
}
