using System.CommandLine;
using System.Globalization;
using NotebookKit.Experiments;
using NotebookKit.Models.Weights;
using NotebookKit.Runtime;
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
            else (s, note) = DefaultWeights(s, chosen);
            var status = TorchRuntime.Require();
            var list = Strategy.ParseList(parse.GetValue(strategies) ?? chosen.Strategies);
            int seedCount = parse.GetValue(seeds) ?? chosen.Seeds;
            bool asJson = parse.GetValue(json);
            if (!asJson)
            {
                AnsiConsole.MarkupLine($"[bold]{Markup.Escape(note)}[/]");
                AnsiConsole.MarkupLine($"[grey]{Markup.Escape(status.Summary)}; preset {chosen.Name}[/]");
            }

            Comparison comparison = null!;
            if (asJson) comparison = Comparer.Run(s, list, seedCount, note);
            else
                AnsiConsole.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .Start(context =>
                    {
                        var tasks = list.ToDictionary(x => x.Name, x => context.AddTask(Markup.Escape(x.Name), maxValue: 1));
                        // A two-phase strategy (finetune) trains twice per seed: its epochs are counted on across phases.
                        var epochsDone = new Dictionary<(string, int), int>();
                        comparison = Comparer.Run(s, list, seedCount, note, (strategy, seed, trainer) =>
                        {
                            var task = tasks[strategy.Name];
                            int offset = epochsDone.GetValueOrDefault((strategy.Name, seed));
                            trainer.BatchCompleted += b =>
                            {
                                task.MaxValue = (double)b.Batches * s.Epochs * seedCount;
                                task.Increment(1);
                                task.Description = Markup.Escape($"{strategy.Name} seed {seed} epoch {offset + b.Epoch}/{s.Epochs} loss {b.Loss:F3}");
                            };
                            trainer.EpochCompleted += r =>
                            {
                                epochsDone[(strategy.Name, seed)] = offset + r.Epoch;
                                task.Description = Markup.Escape($"{strategy.Name} seed {seed} epoch {offset + r.Epoch}/{s.Epochs}: val acc {r.ValidationAccuracy:P1}");
                            };
                        });
                        foreach (var task in tasks.Values) task.Value = task.MaxValue;
                    });

            var report = ComparisonReport.Write(comparison, parse.GetValue(output)!);
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

    /// <summary>ResNet-50 with torchvision's V2 weights when cached (or, for the full preset, downloadable); otherwise the offline ResNet-18.</summary>
    static (TrainSettings, string) DefaultWeights(TrainSettings s, Preset preset)
    {
        var resnet50 = WeightsRegistry.Find("resnet50", "tv-imagenet1k-v2");
        var store = new WeightsStore();
        if (store.IsCached(resnet50))
            return (s with { Arch = "resnet50", Weights = resnet50.Name }, "Using resnet50 with torchvision's ImageNet weights (tv-imagenet1k-v2, cached).");
        if (preset.PreferResNet50)
        {
            try
            {
                store.EnsureAsync(resnet50).GetAwaiter().GetResult();
                return (s with { Arch = "resnet50", Weights = resnet50.Name }, "Using resnet50 with torchvision's ImageNet weights (tv-imagenet1k-v2, just downloaded).");
            }
            catch (NotebookKit.Downloads.DownloadException e)
            {
                return (s with { Arch = "resnet18", Weights = "mlnet-imagenet" }, $"resnet50's weights could not be fetched ({e.Message.Split('.')[0]}); using resnet18 with the offline ImageNet weights (mlnet-imagenet) instead.");
            }
        }
        return (s with { Arch = "resnet18", Weights = "mlnet-imagenet" },
            "Using resnet18 with the offline ImageNet weights (mlnet-imagenet): resnet50's torchvision weights are not cached (`nbkit weights fetch --arch resnet50 --weights tv-imagenet1k-v2`, or --preset full, to use them).");
    }
}
