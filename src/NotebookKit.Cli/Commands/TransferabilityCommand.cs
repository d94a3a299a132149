using System.CommandLine;
using System.Globalization;
using NotebookKit.Experiments;
using NotebookKit.Reports;
using NotebookKit.Runtime;
using NotebookKit.Training;
using Spectre.Console;

namespace NotebookKit.Cli.Commands;

/// <summary><c>nbkit transferability</c>: Yosinski et al. 2014 on your data, with its figure.</summary>
static class TransferabilityCommand
{
    public static Command Create()
    {
        var settings = new TrainSettingsOptions();
        var preset = new Option<string>("--preset") { Description = $"{string.Join("; ", TransferabilityPreset.All)}.", DefaultValueFactory = _ => "smoke" };
        var seeds = new Option<int?>("--seeds") { Description = "Seeds (95% intervals over seeds need at least 2; 3 recommended). Default: the preset's." }.Within(Ranges.Seeds);
        var depths = new Option<string?>("--depths") { Description = "Depths n (stages copied, 1 = stem … 5 = layer4), comma-separated. Default: the preset's (1,2,3,4,5)." };
        var split = new Option<string>("--split") { Description = "random (a seeded random half of the classes, the paper's main case) or halves (first half vs second half: a deliberately dissimilar split on datasets whose classes are grouped).", DefaultValueFactory = _ => "random" };
        var splitSeed = new Option<int?>("--split-seed") { Description = "Use this split for every seed (default: each seed draws its own random split)." };
        var folder = new ExperimentFolder("nbkit-transferability");
        var json = CommonOptions.Json();
        var command = new Command("transferability", "Yosinski et al. 2014 on your data: split the classes into halves A and B, copy the first n stages of a network trained on A (or B) into one for B, frozen (AnB, BnB) or fine-tuned (AnB+, BnB+).")
            { preset, seeds, depths, split, splitSeed, json };
        folder.AddTo(command);
        settings.AddTo(command);
        command.SetAction(parse =>
        {
            var chosen = TransferabilityPreset.Find(parse.GetValue(preset)!);
            var s = settings.Bind(parse, chosen.Settings);
            var transferSplit = parse.GetValue(split)!.ToLowerInvariant() switch
            {
                "random" => new TransferSplit(Random: true, parse.GetValue(splitSeed)),
                "halves" when parse.GetValue(splitSeed) is null => new TransferSplit(Random: false),
                "halves" => throw new ArgumentException("--split-seed goes with --split random; --split halves has no randomness."),
                var other => throw new ArgumentException($"--split {other}: expected random or halves."),
            };
            var depthList = parse.GetValue(depths) is { } text ? ParseDepths(text) : chosen.Depths;
            int seedCount = parse.GetValue(seeds) ?? chosen.Seeds;
            bool asJson = parse.GetValue(json);
            return folder.Run(parse, TransferabilityExperiment.Protocol(s, seedCount, depthList, transferSplit), quiet: asJson, (output, log) =>
            {
                TorchRuntime.Require();
                if (!asJson && chosen.Caveat is { } caveat) AnsiConsole.MarkupLine($"[yellow]{Term.Escape(caveat)}[/]");
                TransferabilityResult result;
                try
                {
                    result = TransferabilityExperiment.Run(s, seedCount, depthList, transferSplit,
                        progress: asJson ? null : message => AnsiConsole.MarkupLine($"[grey]{Term.Escape(message)}[/]"), observer: TrainingObserver.None, log: log,
                        cancellation: Interrupts.Token) with { Caveat = chosen.Caveat };
                }
                catch (OperationCanceledException) when (Interrupts.Stopped) { return Interrupts.ReportStopped(output.Path); }
                var page = TransferabilityReport.Write(result, output.Path);
                if (asJson) { JsonOutput.Write(TransferabilityReport.ToJson(result)); return 0; }
                var table = new Table().Border(TableBorder.Rounded).AddColumns("treatment", "n", "stage", "accuracy (95% CI)", "per seed");
                foreach (var p in result.Points)
                    table.AddRow(Term.Escape(p.Treatment), p.Depth.ToString(CultureInfo.InvariantCulture), p.Depth == 0 ? "-" : Term.Escape(TransferabilityResult.StageAt(p.Depth)),
                        Term.Escape($"{p.Mean.ToString("P1", CultureInfo.InvariantCulture)} {p.Interval.ToPoints()}"),
                        Term.Escape(string.Join(", ", p.Accuracies.Select(a => a.ToString("P1", CultureInfo.InvariantCulture)))));
                AnsiConsole.Write(table);
                AnsiConsole.MarkupLine(Term.Escape(result.Summary()));
                AnsiConsole.MarkupLine($"[grey]{Term.Escape(result.BudgetPolicy)}[/]");
                AnsiConsole.MarkupLine($"Figure: {Term.Escape(page)}");
                return 0;
            });
        });
        return command;
    }

    static IReadOnlyList<int> ParseDepths(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n is >= 1 and <= 5
                ? n : throw new ArgumentException($"--depths {text}: '{p}' is not a depth (1 = stem … 5 = layer4)."))
            .ToList() is { Count: > 0 } list ? list : throw new ArgumentException($"--depths {text}: give at least one depth, e.g. 1,3,5.");
}
