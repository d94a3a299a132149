using System.CommandLine;
using System.Globalization;
using NotebookKit.Experiments;
using NotebookKit.Reports;
using NotebookKit.Runtime;
using NotebookKit.Training;
using Spectre.Console;

namespace NotebookKit.Cli.Commands;

/// <summary><c>nbkit transferability</c>: Yosinski et al. 2014 in miniature, with its figure.</summary>
static class TransferabilityCommand
{
    public static Command Create()
    {
        var settings = new TrainSettingsOptions();
        var preset = new Option<string>("--preset") { Description = $"{string.Join("; ", TransferabilityPreset.All)}.", DefaultValueFactory = _ => "smoke" };
        var seeds = new Option<int?>("--seeds") { Description = "Seeds (error bars). Default: the preset's." };
        var output = new Option<string>("--out") { Description = "Folder for transferability.json and transferability.html.", DefaultValueFactory = _ => "nbkit-transferability" };
        var json = CommonOptions.Json();
        var command = new Command("transferability", "Yosinski et al. 2014 on your data: split the classes into halves A and B, copy the first n stages of a network trained on A (or B) into one for B, frozen (AnB, BnB) or fine-tuned (AnB+, BnB+).") { preset, seeds, output, json };
        settings.AddTo(command);
        command.SetAction(parse =>
        {
            var chosen = TransferabilityPreset.Find(parse.GetValue(preset)!);
            var s = settings.Bind(parse, chosen.Settings);
            TorchRuntime.Require();
            bool asJson = parse.GetValue(json);
            var result = TransferabilityExperiment.Run(s, parse.GetValue(seeds) ?? chosen.Seeds,
                progress: asJson ? null : message => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(message)}[/]"), observer: TrainingObserver.None);
            var page = TransferabilityReport.Write(result, parse.GetValue(output)!);
            if (asJson) { JsonOutput.Write(TransferabilityReport.ToJson(result)); return 0; }
            var table = new Table().Border(TableBorder.Rounded).AddColumns("treatment", "n", "stage", "accuracy on B");
            foreach (var p in result.Points)
                table.AddRow(Markup.Escape(p.Treatment), p.Depth.ToString(CultureInfo.InvariantCulture), p.Depth == 0 ? "-" : TransferabilityResult.StageAt(p.Depth),
                    result.Seeds.Count > 1 ? $"{p.Mean:P1} ± {p.Std:P1}" : $"{p.Mean:P1}");
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine(Markup.Escape(result.Summary()));
            AnsiConsole.MarkupLine($"Figure: {Markup.Escape(Path.GetFullPath(page))}");
            return 0;
        });
        return command;
    }
}
