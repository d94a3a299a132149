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
        var seeds = new Option<int?>("--seeds") { Description = "Seeds per strategy (mean ± sd). Default: the preset's." }.Within(Ranges.Seeds);
        var preset = new Option<string>("--preset") { Description = $"smoke, default or full: {string.Join("; ", Preset.All.Select(p => $"{p.Name}: {p.Description}"))}.", DefaultValueFactory = _ => "default" };
        var folder = new ExperimentFolder("nbkit-compare");
        var json = CommonOptions.Json();
        var command = new Command("compare", "Answer \"freeze or fine-tune?\" on a dataset: each strategy with the same split, budget and seeds; writes a report.") { strategies, seeds, preset, json };
        folder.AddTo(command);
        settings.AddTo(command);
        command.SetAction(parse =>
        {
            var chosen = Preset.Find(parse.GetValue(preset)!);
            var s = settings.Bind(parse, chosen.Settings);
            string note;
            if (parse.GetResult(settings.Arch) is { Implicit: false } || parse.GetResult(settings.Weights) is { Implicit: false })
                note = $"Using {s.Arch} with {s.Weights}, as asked.";
            else (s, note) = DefaultWeights.Choose(s, chosen);
            var list = Strategy.ParseList(parse.GetValue(strategies) ?? chosen.Strategies);
            int seedCount = parse.GetValue(seeds) ?? chosen.Seeds;
            bool asJson = parse.GetValue(json);
            return folder.Run(parse, Comparer.Protocol(s, list, seedCount), quiet: asJson, (output, log) =>
            {
                var status = TorchRuntime.Require();
                if (!asJson)
                {
                    AnsiConsole.MarkupLine($"[bold]{Term.Escape(note)}[/]");
                    AnsiConsole.MarkupLine($"[grey]{Term.Escape(status.Summary)}; preset {Term.Escape(chosen.Name)}[/]");
                    if (chosen.Caveat is { } caveat) AnsiConsole.MarkupLine($"[yellow]{Term.Escape(caveat)}[/]");
                }

                Comparison comparison;
                try
                {
                    comparison = (asJson
                        ? Comparer.Run(s, list, seedCount, note, TrainingObserver.None, Interrupts.Token, log)
                        : SpectreTrainingView.Run("compare", observer => Comparer.Run(s, list, seedCount, note, observer, Interrupts.Token, log))) with { Caveat = chosen.Caveat };
                }
                catch (OperationCanceledException) when (Interrupts.Stopped) { return Interrupts.ReportStopped(output.Path); }

                var report = ComparisonReport.Write(comparison, output.Path);
                CommonOptions.WarnIfPartial(comparison.PartialWeights);
                CommonOptions.WarnIfSkipped(comparison.SkippedFiles);
                if (asJson) { JsonOutput.Write(ComparisonReport.ToJson(comparison)); return 0; }
                var table = new Table().Border(TableBorder.Rounded).AddColumns("strategy", "final val acc (95% CI)", "per seed", "trainable params", "train time", "img/s");
                foreach (var x in comparison.Strategies)
                    table.AddRow(Term.Escape(x.Strategy.Name),
                        Term.Escape($"{x.ValidationAccuracy.ToString("P1", CultureInfo.InvariantCulture)} {x.ValidationAccuracyInterval.ToPoints()} ({x.IntervalMethod})"),
                        Term.Escape(string.Join(", ", x.PerSeed.Select(a => a.ToString("P1", CultureInfo.InvariantCulture)))),
                        x.TrainableParameters.ToString("N0", CultureInfo.InvariantCulture), $"{x.Seconds:F1} s", x.ImagesPerSecond.ToString("F0", CultureInfo.InvariantCulture));
                AnsiConsole.Write(table);
                foreach (var c in comparison.Comparisons)
                    AnsiConsole.MarkupLine(Term.Escape($"  {c.A} − {c.B}: {c.Describe()}"));
                AnsiConsole.MarkupLine($"[bold]{Term.Escape(comparison.Verdict())}[/]");
                if (chosen.Caveat is { } warning) AnsiConsole.MarkupLine($"[yellow]{Term.Escape(warning)}[/]");
                AnsiConsole.MarkupLine($"Report: {Term.Escape(Path.GetFullPath(report))}");
                return 0;
            });
        });
        return command;
    }
}
