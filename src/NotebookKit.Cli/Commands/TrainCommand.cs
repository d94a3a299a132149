using System.CommandLine;
using System.Globalization;
using NotebookKit.Experiments;
using NotebookKit.Reports;
using NotebookKit.Runtime;
using NotebookKit.Training;
using Spectre.Console;

namespace NotebookKit.Cli.Commands;

/// <summary><c>nbkit train</c>: one strategy, with live progress and an epoch table.</summary>
static class TrainCommand
{
    public static Command Create()
    {
        var settings = new TrainSettingsOptions();
        var strategy = new Option<string>("--strategy") { Description = "scratch, frozen, finetune, full or partial:N.", DefaultValueFactory = _ => "finetune" };
        var output = new Option<string?>("--out") { Description = "Folder for checkpoints (last/ after every epoch, best.safetensors), model.json (classes, input size, preprocessing) and results.json." };
        var resume = new Option<string?>("--resume") { Description = "Resume from a checkpoint folder written by --out." };
        var json = CommonOptions.Json();
        var command = new Command("train", "Train one strategy on a dataset; every option has a default, shown here.") { strategy, output, resume, json };
        settings.AddTo(command);
        command.SetAction(parse =>
        {
            var s = settings.Bind(parse);
            var chosen = Strategy.Parse(parse.GetValue(strategy)!);
            var status = TorchRuntime.Require();
            if (!parse.GetValue(json)) AnsiConsole.MarkupLine($"[grey]{Term.Escape(status.Summary)}[/]");
            var resumeFrom = parse.GetValue(resume);
            // --resume DIR keeps writing its checkpoints into DIR; --out is claimed before any work (writable, not in use).
            using var claimed = (parse.GetValue(output) ?? resumeFrom) is { } folder ? NotebookKit.Reports.OutputFolder.Claim(folder) : null;
            var outDir = claimed?.Path;
            PreparedData data;
            try { data = PreparedData.From(s); }
            catch
            {
                claimed?.Abandon(); // data refused: take back a folder the claim created (as compare, study and transferability do)
                throw;
            }
            if (outDir is not null) NotebookKit.Export.ModelCard.ForTraining(s, data.Train.Classes, chosen).Write(outDir); // classes, size, preprocessing for `nbkit export`
            StrategyRun run;
            if (parse.GetValue(json))
                run = StrategyRunner.Run(chosen, s, data, s.Seed, TrainingObserver.None, Interrupts.Token, outDir, resumeFrom);
            else
            {
                AnsiConsole.MarkupLine($"{Term.Escape(chosen.Name)}: {Term.Escape(chosen.Description)}; {data.Train.Count} train / {data.Validation.Count} val images, {data.Train.Classes.Count} classes");
                run = SpectreTrainingView.Run(chosen.Name, observer =>
                    StrategyRunner.Run(chosen, s, data, s.Seed, observer.ForCurve(chosen.Name, s.Epochs), Interrupts.Token, outDir, resumeFrom));
                Render(run);
            }
            CommonOptions.WarnIfPartial(run.WeightsReport);
            CommonOptions.WarnIfSkipped(run.SkippedFiles);
            if (outDir is not null) KitFiles.WriteAtomically(Path.Combine(outDir, "results.json"), KitJson.Serialize(ResultsJson.Run(run)));
            if (run.Result.Cancelled) return Interrupts.ReportStopped(outDir); // with --json: the JSON error object (results.json has the epochs)
            if (parse.GetValue(json)) JsonOutput.Write(ResultsJson.Run(run));
            return 0;
        });
        return command;
    }

    static void Render(StrategyRun run)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("epoch", "phase", "train loss", "train acc", "val loss", "val acc", "lr", "s", "img/s", "MB", "tensors");
        foreach (var h in run.Result.History)
            table.AddRow(h.Epoch.ToString(CultureInfo.InvariantCulture), Term.Escape(h.Phase), F(h.TrainLoss, "F4"), F(h.TrainAccuracy, "P1"), F(h.ValidationLoss, "F4"), F(h.ValidationAccuracy, "P1"),
                F(h.LearningRate, "G3"), F(h.Seconds, "F1"), F(h.ImagesPerSecond, "F0"), F(h.RssMegabytes, "F0"), h.LiveTensors.ToString(CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(Term.Escape($"{run.Evaluation}; best val acc {run.Result.BestValidationAccuracy:P1} (epoch {run.Result.BestEpoch}); {run.TrainableParameters:N0} trainable parameters; {run.Seconds:F0} s"));
    }

    static string F(double value, string format) => double.IsNaN(value) ? "-" : value.ToString(format, CultureInfo.InvariantCulture);
}
