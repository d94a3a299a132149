using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using NotebookKit.Charts;
using NotebookKit.Experiments;
using NotebookKit.Runtime;
using NotebookKit.Training;
using Spectre.Console;

namespace NotebookKit.Cli.Commands;

/// <summary><c>nbkit transferability</c>: Yosinski et al. 2014 in miniature, with its figure.</summary>
static class TransferabilityCommand
{
    static readonly IReadOnlyDictionary<string, (TrainSettings Settings, int Seeds)> Presets = new Dictionary<string, (TrainSettings, int)>
    {
        ["smoke"] = (new TrainSettings { Epochs = 2, ImageSize = 32, BatchSize = 32, TrainPerClass = 20, ValidationPerClass = 10, Weights = "random", Optimizer = OptimizerKind.AdamW, LearningRate = 3e-3 }, 1),
        ["default"] = (new TrainSettings { Epochs = 4, ImageSize = 32, BatchSize = 32, Weights = "random", Optimizer = OptimizerKind.AdamW, LearningRate = 3e-3 }, 2),
        ["full"] = (new TrainSettings { Epochs = 10, ImageSize = 64, BatchSize = 32, Weights = "random", Augment = true, Optimizer = OptimizerKind.AdamW, LearningRate = 3e-3 }, 3),
    };

    public static Command Create()
    {
        var settings = new TrainSettingsOptions();
        var preset = new Option<string>("--preset") { Description = "smoke (a few minutes on a 2-core CPU), default or full.", DefaultValueFactory = _ => "smoke" };
        var seeds = new Option<int?>("--seeds") { Description = "Seeds (error bars). Default: the preset's." };
        var output = new Option<string>("--out") { Description = "Folder for transferability.json and transferability.html.", DefaultValueFactory = _ => "nbkit-transferability" };
        var json = CommonOptions.Json();
        var command = new Command("transferability", "Yosinski et al. 2014 on your data: split the classes into halves A and B, copy the first n stages of a network trained on A (or B) into one for B, frozen (AnB, BnB) or fine-tuned (AnB+, BnB+).") { preset, seeds, output, json };
        settings.AddTo(command);
        command.SetAction(parse =>
        {
            if (!Presets.TryGetValue(parse.GetValue(preset)!, out var chosen))
                throw new ArgumentException($"Unknown preset '{parse.GetValue(preset)}'. Presets: {string.Join(", ", Presets.Keys)}.");
            var s = settings.Bind(parse, chosen.Settings with { Arch = "resnet18" });
            if (parse.GetResult(settings.Weights) is not { Implicit: false }) s = s with { Weights = "random" };
            TorchRuntime.Require();
            bool asJson = parse.GetValue(json);
            var result = TransferabilityExperiment.Run(s, parse.GetValue(seeds) ?? chosen.Seeds,
                progress: asJson ? null : message => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(message)}[/]"));
            var folder = parse.GetValue(output)!;
            Directory.CreateDirectory(folder);
            var data = new
            {
                dataset = result.Dataset, arch = result.Arch, half_a = result.HalfA, half_b = result.HalfB, seeds = result.Seeds, summary = result.Summary(),
                points = result.Points.Select(p => new { treatment = p.Treatment, n = p.Depth, stage = p.Depth == 0 ? "" : TransferabilityResult.StageAt(p.Depth), mean = p.Mean, std = p.Std, accuracies = p.Accuracies }),
            };
            File.WriteAllText(Path.Combine(folder, "transferability.json"), JsonSerializer.Serialize(data, JsonOutput.Options));
            File.WriteAllText(Path.Combine(folder, "transferability.html"),
                $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Transferability: {WebUtility.HtmlEncode(result.Dataset)}</title>{OfflineChart.PlotlyLoaderScript()}</head>"
                + $"<body style=\"font-family:system-ui,sans-serif;max-width:900px;margin:20px auto\"><h1>How transferable are features? {WebUtility.HtmlEncode(result.Dataset)}</h1>"
                + $"<p>A = {WebUtility.HtmlEncode(string.Join(", ", result.HalfA))}; B = {WebUtility.HtmlEncode(string.Join(", ", result.HalfB))}.</p><p>{WebUtility.HtmlEncode(result.Summary())}</p>"
                + OfflineChart.ToHtmlFragmentWithoutLoader(TransferabilityCharts.Figure(result)) + "</body></html>");
            if (asJson) { JsonOutput.Write(data); return 0; }
            var table = new Table().Border(TableBorder.Rounded).AddColumns("treatment", "n", "stage", "accuracy on B");
            foreach (var p in result.Points)
                table.AddRow(p.Treatment, p.Depth.ToString(CultureInfo.InvariantCulture), p.Depth == 0 ? "-" : TransferabilityResult.StageAt(p.Depth),
                    result.Seeds.Count > 1 ? $"{p.Mean:P1} ± {p.Std:P1}" : $"{p.Mean:P1}");
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine(Markup.Escape(result.Summary()));
            AnsiConsole.MarkupLine($"Figure: {Markup.Escape(Path.GetFullPath(Path.Combine(folder, "transferability.html")))}");
            return 0;
        });
        return command;
    }
}
