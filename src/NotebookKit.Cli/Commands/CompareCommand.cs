using System.CommandLine;
using System.Globalization;
using NotebookKit.Experiments;
using NotebookKit.Reports;
using NotebookKit.Runtime;
using NotebookKit.Training;
using Spectre.Console;

namespace NotebookKit.Cli.Commands;

/// <summary><c>nbkit compare</c>: the main job. Every strategy on the same split, budget and seeds; a table, results.json and report.html.</summary>
static class CompareCommand
{
    public static Command Create()
    {
        var settings = new TrainSettingsOptions();
        var strategies = new Option<string?>("--strategies") { Description = "Comma-separated: scratch, frozen, finetune, full, partial:N. Default: the preset's (scratch,frozen,finetune)." };
        var seeds = new Option<int?>("--seeds") { Description = "Seeds per strategy (mean ± sd). Default: the preset's." };
        var preset = new Option<string>("--preset") { Description = $"smoke, default or full: {string.Join("; ", Preset.All.Select(p => $"{p.Name}: {p.Description}"))}.", DefaultValueFactory = _ => "default" };
        var output = new Option<string>("--out") { Description = "Folder for results.json and report.html.", DefaultValueFactory = _ => "nbkit-compare" };
        var json = CommonOptions.Json();
        var command = new Command("compare", "Answer \"freeze or fine-tune?\" on a dataset: each strategy with the same split, budget and seeds; writes a report.") { strategies, seeds, preset, output, json };
        settings.AddTo(command);
        command.SetAction(parse =>
        {
            var chosen = Preset.Find(parse.GetValue(preset)!);
            var s = settings.Bind(parse, chosen.Settings);
            string note;
            if (parse.GetResult(settings.Arch) is { Implicit: false } || parse.GetResult(settings.Weights) is { Implicit: false })
                note = $"Using {s.Arch} with {s.Weights}, as asked.";
            else (s, note) = DefaultWeights.Choose(s, chosen);
            var status = TorchRuntime.Require();
            var list = Strategy.ParseList(parse.GetValue(strategies) ?? chosen.Strategies);
            int seedCount = parse.GetValue(seeds) ?? chosen.Seeds;
            bool asJson = parse.GetValue(json);
            if (!asJson)
            {
                AnsiConsole.MarkupLine($"[bold]{Markup.Escape(note)}[/]");
                AnsiConsole.MarkupLine($"[grey]{Markup.Escape(status.Summary)}; preset {Markup.Escape(chosen.Name)}[/]");
            }

            var comparison = asJson
                ? Comparer.Run(s, list, seedCount, note, TrainingObserver.None)
                : SpectreTrainingView.Run("compare", observer => Comparer.Run(s, list, seedCount, note, observer));

            var report = ComparisonReport.Write(comparison, parse.GetValue(output)!);
            CommonOptions.WarnIfPartial(comparison.PartialWeights);
            if (asJson) { JsonOutput.Write(ComparisonReport.ToJson(comparison)); return 0; }
            var table = new Table().Border(TableBorder.Rounded).AddColumns("strategy", "final val acc", "best val acc", "trainable params", "train time", "img/s");
            foreach (var x in comparison.Strategies)
                table.AddRow(Markup.Escape(x.Strategy.Name), Pm(x.ValidationAccuracy, x.ValidationAccuracyStd, comparison.Seeds.Count), Pm(x.BestValidationAccuracy, x.BestValidationAccuracyStd, comparison.Seeds.Count),
                    x.TrainableParameters.ToString("N0", CultureInfo.InvariantCulture), $"{x.Seconds:F1} s", x.ImagesPerSecond.ToString("F0", CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(comparison.Verdict())}[/]");
            AnsiConsole.MarkupLine($"Report: {Markup.Escape(Path.GetFullPath(report))}");
            return 0;
        });
        return command;
    }

    static string Pm(double mean, double sd, int seeds) =>
        seeds > 1 ? $"{mean.ToString("P1", CultureInfo.InvariantCulture)} ± {sd.ToString("P1", CultureInfo.InvariantCulture)}" : mean.ToString("P1", CultureInfo.InvariantCulture);
}
