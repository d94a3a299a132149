using System.CommandLine;
using System.Globalization;
using NotebookKit.Experiments;
using NotebookKit.Reports;
using NotebookKit.Runtime;
using NotebookKit.Training;
using Spectre.Console;

namespace NotebookKit.Cli.Commands;

/// <summary><c>nbkit study</c>: where does fine-tuning overtake freezing on your data? The strategies at several training-set sizes.</summary>
static class StudyCommand
{
    public static Command Create()
    {
        var settings = new TrainSettingsOptions();
        var sizes = new Option<string?>("--sizes") { Description = "Training images per class, comma-separated (e.g. 5,20,100). Default: the preset's." };
        var strategies = new Option<string?>("--strategies") { Description = "Comma-separated: scratch, frozen, finetune, full, partial:N. Default: the preset's (scratch,frozen,finetune)." };
        var seeds = new Option<int?>("--seeds") { Description = "Seeds per strategy and size. Default: the preset's." }.Within(Ranges.Seeds);
        var minSteps = new Option<int?>("--min-steps") { Description = "Optimiser steps at least, at every size (each size trains --epochs epochs or this many steps, whichever is more). Default: the preset's." }.Within(Ranges.MinSteps);
        var preset = new Option<string>("--preset") { Description = $"{string.Join("; ", StudyPreset.All)}.", DefaultValueFactory = _ => "default" };
        var folder = new ExperimentFolder("nbkit-study");
        var json = CommonOptions.Json();
        var command = new Command("study", "Where does fine-tuning overtake feature extraction on your data? Every strategy at several training-set sizes, with 95% intervals; writes the crossover figure.")
            { sizes, strategies, seeds, minSteps, preset, json };
        folder.AddTo(command);
        settings.AddTo(command);
        command.SetAction(parse =>
        {
            var chosen = StudyPreset.Find(parse.GetValue(preset)!);
            var s = settings.Bind(parse, chosen.Settings with { Epochs = chosen.Budget.Epochs });
            var budget = chosen.Budget with { Epochs = s.Epochs, MinSteps = parse.GetValue(minSteps) ?? chosen.Budget.MinSteps };
            var sizeList = parse.GetValue(sizes) is { } text ? ParseSizes(text) : chosen.Sizes;
            var list = Strategy.ParseList(parse.GetValue(strategies) ?? chosen.Strategies);
            int seedCount = parse.GetValue(seeds) ?? chosen.Seeds;
            bool asJson = parse.GetValue(json);
            return folder.Run(parse, Study.Protocol(s, sizeList, list, seedCount, budget), quiet: asJson, (output, log) =>
            {
                var status = TorchRuntime.Require();
                if (!asJson)
                {
                    AnsiConsole.MarkupLine($"[grey]{Term.Escape(status.Summary)}; preset {Term.Escape(chosen.Name)}; {Term.Escape(budget.ToString())}[/]");
                    if (chosen.Caveat is { } caveat) AnsiConsole.MarkupLine($"[yellow]{Term.Escape(caveat)}[/]");
                }
                StudyResult result;
                try
                {
                    result = (asJson
                        ? Study.Run(s, sizeList, list, seedCount, budget, TrainingObserver.None, Interrupts.Token, log)
                        : SpectreTrainingView.Run("study", observer => Study.Run(s, sizeList, list, seedCount, budget, observer, Interrupts.Token, log))) with { Caveat = chosen.Caveat };
                }
                catch (OperationCanceledException) when (Interrupts.Stopped) { return Interrupts.ReportStopped(output.Path); }
                var page = StudyReport.Write(result, output.Path);
                if (asJson) { JsonOutput.Write(StudyReport.ToJson(result)); return 0; }
                var table = new Table().Border(TableBorder.Rounded).AddColumns(["images/class", "steps", .. result.Points[0].Strategies.Select(x => Term.Escape(x.Strategy.Name))]);
                foreach (var p in result.Points)
                    table.AddRow([p.PerClass.ToString(CultureInfo.InvariantCulture), p.Steps.ToString(CultureInfo.InvariantCulture),
                        .. p.Strategies.Select(x => Term.Escape($"{x.ValidationAccuracy.ToString("P1", CultureInfo.InvariantCulture)} {x.ValidationAccuracyInterval.ToPoints()}"))]);
                AnsiConsole.Write(table);
                AnsiConsole.MarkupLine($"[bold]{Term.Escape(result.Crossover())}[/]");
                AnsiConsole.MarkupLine(Term.Escape(result.Costs()));
                if (chosen.Caveat is { } warning) AnsiConsole.MarkupLine($"[yellow]{Term.Escape(warning)}[/]");
                AnsiConsole.MarkupLine($"Report: {Term.Escape(page)}");
                return 0;
            });
        });
        return command;
    }

    static IReadOnlyList<int> ParseSizes(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var sizes = new List<int>();
        foreach (var part in parts)
            sizes.Add(int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1
                ? n
                : throw new ArgumentException($"--sizes {text}: '{part}' is not a whole number of images per class (1 or more)."));
        return sizes.Count > 0 ? sizes : throw new ArgumentException($"--sizes {text}: give at least one size, e.g. 5,20,100.");
    }
}
