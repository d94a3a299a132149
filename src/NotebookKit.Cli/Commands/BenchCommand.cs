using System.CommandLine;
using System.Globalization;
using NotebookKit.Cli.Bench;
using Spectre.Console;

namespace NotebookKit.Cli.Commands;

/// <summary><c>nbkit bench ...</c>: speed measured as a ratio against a reference in the same run.</summary>
static class BenchCommand
{
    public static Command Create() => new("bench", "Benchmarks: the kit against a reference, in the same run.") { Data() };

    static Command Data()
    {
        var path = new Argument<string?>("path") { Description = "An ImageFolder of JPEG photos. Default: 500 generated ~500x375 JPEGs in the kit's cache.", Arity = ArgumentArity.ZeroOrOne };
        var size = new Option<int>("--size") { Description = "Crop size.", DefaultValueFactory = _ => 224 };
        var batch = new Option<int>("--batch-size") { Description = "Batch size.", DefaultValueFactory = _ => 32 };
        var workers = new Option<int>("--workers") { Description = "Decoding workers (threads for the kit, processes for PyTorch).", DefaultValueFactory = _ => 2 };
        var epochs = new Option<int>("--epochs") { Description = "Timed epochs, after one warm-up epoch (both sides).", DefaultValueFactory = _ => 5 };
        var peer = new Option<string?>("--peer") { Description = "The PyTorch reference runner (default: NBKIT_PYTORCH_PEER, or shared/tools/pytorch-peer beside the repository)." };
        var json = CommonOptions.Json();
        var command = new Command("data", "Images/s of the training input pipeline (decode + RandomResizedCrop + flip + normalize) vs torchvision's ImageFolder + DataLoader with PIL. Goal: at least 2x.")
        { path, size, batch, workers, epochs, peer, json };
        command.SetAction(parse =>
        {
            var folder = parse.GetValue(path) ?? BenchPhotos.Ensure(Path.Combine(KitPaths.Home, "bench", "photos-500"), 500);
            var result = DataBenchmark.Run(folder, parse.GetValue(size), parse.GetValue(batch), parse.GetValue(workers), parse.GetValue(epochs), PytorchPeer.Locate(parse.GetValue(peer)));
            if (parse.GetValue(json))
            {
                JsonOutput.Write(new
                {
                    benchmark = "data",
                    folder = result.Folder,
                    images = result.Images,
                    size = result.Size,
                    batch_size = result.BatchSize,
                    workers = result.Workers,
                    kit_images_per_second = result.KitImagesPerSecond,
                    pytorch_images_per_second = result.PytorchImagesPerSecond,
                    ratio = result.Ratio,
                    goal_ratio = 2.0,
                    reference = result.Reference,
                    reference_error = result.ReferenceError,
                });
                return 0;
            }
            var table = new Table().Border(TableBorder.Rounded).AddColumn("pipeline").AddColumn(new TableColumn("images/s").RightAligned());
            table.AddRow("NotebookKit (ImageSharp, threads)", result.KitImagesPerSecond.ToString("F1", CultureInfo.InvariantCulture));
            table.AddRow(Markup.Escape(result.Reference ?? "PyTorch reference"), result.PytorchImagesPerSecond?.ToString("F1", CultureInfo.InvariantCulture) ?? $"[yellow]{Markup.Escape(result.ReferenceError ?? "not run")}[/]");
            AnsiConsole.Write(table);
            if (result.Ratio is { } ratio)
                AnsiConsole.MarkupLine($"ratio {ratio:F2}x (goal: at least 2x) {(ratio >= 2 ? "[green]met[/]" : "[red]not met[/]")}");
            return 0;
        });
        return command;
    }
}
