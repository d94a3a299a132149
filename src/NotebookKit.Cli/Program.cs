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
    WeightsCommand.Create(),
    TrainCommand.Create(),
    CompareCommand.Create(),
    TransferabilityCommand.Create(),
};
return root.Parse(args).Invoke();
