using System.CommandLine;
using System.Globalization;
using NotebookKit.Cli.Bench;
using Spectre.Console;
using TorchSharp;

namespace NotebookKit.Cli.Commands;

/// <summary><c>nbkit bench ...</c>: speed measured as a ratio against a reference in the same run.</summary>
static class BenchCommand
{
    public static Command Create() => new("bench", "Benchmarks: the kit against a reference, in the same run.") { Data(), Train(), Gpu(), SoakBenchmark.Create() };

    static Command Gpu()
    {
        var device = new Option<string>("--device") { Description = "The device: cuda (default), cuda:N, or cpu (to test the benchmark itself, with --quick).", DefaultValueFactory = _ => "cuda" };
        var arch = new Option<string>("--arch") { Description = "Network.", DefaultValueFactory = _ => "resnet50" };
        var size = new Option<int>("--size") { Description = "Image size (train and eval rows; crop size of the pipeline rows).", DefaultValueFactory = _ => 224 };
        var batch = new Option<int>("--batch-size") { Description = "Batch size.", DefaultValueFactory = _ => 64 };
        var steps = new Option<int>("--steps") { Description = "Timed steps of the train and eval rows, after the warm-up steps.", DefaultValueFactory = _ => 30 };
        var warmup = new Option<int>("--warmup") { Description = "Warm-up steps (at least 1).", DefaultValueFactory = _ => 5 };
        var workers = new Option<string>("--workers") { Description = "Worker counts of the pipeline rows, comma-separated; the largest also feeds the end-to-end row.", DefaultValueFactory = _ => "1,4,8,16" };
        var images = new Option<int>("--images") { Description = "Generated ~500x375 JPEGs for the pipeline and end-to-end rows (kept in the kit's cache).", DefaultValueFactory = _ => 3000 };
        var bf16 = new Option<bool>("--bf16") { Description = "Add PyTorch's train step under bf16 autocast, for reference.", DefaultValueFactory = _ => true };
        var quick = new Option<bool>("--quick") { Description = "Tiny sizes (resnet18, 32 px, batch 4, 8 images, workers 1,2): tests the benchmark, measures nothing." };
        var peer = new Option<string?>("--peer") { Description = "The python3 with torch and torchvision to run the PyTorch side (on the GPU machine: its own python3). Default: NBKIT_PYTORCH_PEER, or shared/tools/pytorch-peer beside the repository." };
        var json = CommonOptions.Json();
        var command = new Command("gpu", "The kit vs PyTorch on a CUDA device, in one run: raw train step, eval, the kit's Trainer vs the raw loop, the input pipeline by workers, end-to-end JPEG training. Prints 'no CUDA device' (exit 0) where there is none.")
        { device, arch, size, batch, steps, warmup, workers, images, bf16, quick, peer, json };
        command.SetAction(parse =>
        {
            var counts = parse.GetValue(workers)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
            var settings = new GpuBenchmark.Settings(parse.GetValue(arch)!, parse.GetValue(size), parse.GetValue(batch), parse.GetValue(steps),
                parse.GetValue(warmup), counts, parse.GetValue(images), parse.GetValue(bf16), parse.GetValue(quick));
            if (settings.Quick) settings = GpuBenchmark.Settings.QuickTest(settings);
            if (settings.Warmup < 1 || settings.Steps < 1 || settings.Workers.Count == 0 || settings.Workers.Any(w => w < 1))
                throw new ArgumentException($"--warmup and --steps must be at least 1 and --workers a list of counts of at least 1 (received --warmup {settings.Warmup}, --steps {settings.Steps}, --workers {parse.GetValue(workers)}).");
            if (GpuBenchmark.Unavailable(parse.GetValue(device)!) is { } why)
            {
                if (parse.GetValue(json)) JsonOutput.Write(new { benchmark = "gpu", device = parse.GetValue(device), cuda = false, message = why, rows = Array.Empty<object>() });
                else AnsiConsole.WriteLine(why);
                return 0;
            }
            var target = torch.device(parse.GetValue(device)!);
            var result = GpuBenchmark.Run(settings, target, PytorchPeer.Locate(parse.GetValue(peer)));
            if (parse.GetValue(json))
            {
                JsonOutput.Write(new
                {
                    benchmark = "gpu",
                    device = result.Device,
                    cuda = target.type == DeviceType.CUDA,
                    settings = new { arch = settings.Arch, size = settings.Size, batch_size = settings.Batch, steps = settings.Steps, warmup = settings.Warmup, workers = settings.Workers, images = settings.Images, quick = settings.Quick },
                    folder = result.Folder,
                    reference = result.Reference,
                    reference_error = result.ReferenceError,
                    rows = result.Rows.Select(r => new { key = r.Key, what = r.What, kit_images_per_second = r.Kit, reference_images_per_second = r.Reference, reference_name = r.ReferenceName, ratio = r.Ratio, goal_ratio = r.Goal, kit_error = r.Error, profile = r.Profile is { } p ? ProfileJson(p) : null }),
                });
                return 0;
            }
            var table = new Table().Border(TableBorder.Rounded).AddColumns("what", "kit img/s", "reference img/s", "ratio", "goal");
            foreach (var r in result.Rows)
                table.AddRow(Term.Escape(r.What), r.Kit?.ToString("N0", CultureInfo.InvariantCulture) ?? (r.Error is { } e ? $"[red]{Term.Escape(e)}[/]" : "-"),
                    r.Reference is { } v ? $"{v.ToString("N0", CultureInfo.InvariantCulture)} ({Term.Escape(r.ReferenceName)})" : "-",
                    r.Ratio?.ToString("F2", CultureInfo.InvariantCulture) ?? "-", r.Goal is { } g ? $">= {g.ToString("0.##", CultureInfo.InvariantCulture)}" : "");
            AnsiConsole.Write(table);
            foreach (var r in result.Rows)
                if (r.Profile is { } p) AnsiConsole.WriteLine($"{r.Key}: {DescribeProfile(p)}");
            AnsiConsole.MarkupLine(Term.Escape($"{result.Device}, {settings.Arch} {settings.Size} px, batch {settings.Batch}; reference: {result.Reference ?? result.ReferenceError}"));
            return 0;
        });
        return command;
    }

    static Command Train()
    {
        var peer = new Option<string?>("--peer") { Description = "The PyTorch reference runner (default: NBKIT_PYTORCH_PEER, or shared/tools/pytorch-peer beside the repository)." };
        var json = CommonOptions.Json();
        var command = new Command("train", "(1) kit training step vs a plain TorchSharp loop (goal: at most 3% slower); (2) feature cache: 10 head epochs vs one backbone pass (goal: at most 1.5x); (3) ResNet-50 train step at 160 px, batch 16, vs PyTorch (goal: at least PyTorch's images/s).") { peer, json };
        command.SetAction(parse =>
        {
            var step = TrainBenchmark.MeasureStepOverhead();
            var cache = TrainBenchmark.MeasureCache();
            var versus = TrainBenchmark.MeasureAgainstPytorch(PytorchPeer.Locate(parse.GetValue(peer)));
            if (parse.GetValue(json))
            {
                JsonOutput.Write(new
                {
                    benchmark = "train",
                    step_overhead = new { step.Arch, step.Size, step.Batch, plain_seconds_per_step = step.PlainSecondsPerStep, kit_seconds_per_step = step.KitSecondsPerStep, overhead = step.Overhead, goal = 0.03 },
                    feature_cache = new { images = cache.Images, head_epochs = cache.HeadEpochs, backbone_pass_seconds = cache.BackbonePassSeconds, cached_seconds = cache.CachedSeconds, cached_over_one_pass = cache.CachedOverOnePass, uncached_over_one_pass = cache.UncachedOverOnePass, goal = 1.5 },
                    resnet50_vs_pytorch = new { size = versus.Size, batch = versus.Batch, kit_images_per_second = versus.KitImagesPerSecond, pytorch_images_per_second = versus.PytorchImagesPerSecond, ratio = versus.Ratio, goal = 1.0, error = versus.Error },
                });
                return 0;
            }
            var table = new Table().Border(TableBorder.Rounded).AddColumns("measure", "kit", "reference", "ratio", "goal");
            table.AddRow(Term.Escape($"train step, {step.Arch} {step.Size} px batch {step.Batch}"), $"{step.KitSecondsPerStep * 1000:F0} ms", $"{step.PlainSecondsPerStep * 1000:F0} ms (plain loop)", $"{step.Overhead:+0.0%;-0.0%}", "<= +3%");
            table.AddRow($"10 head epochs, {cache.Images} images", $"{cache.CachedSeconds:F2} s (cached)", $"{cache.BackbonePassSeconds:F2} s (one backbone pass)", $"{cache.CachedOverOnePass:F2}x (uncached ~{cache.UncachedOverOnePass:F0}x)", "<= 1.5x");
            table.AddRow($"resnet50 train, {versus.Size} px batch {versus.Batch}", $"{versus.KitImagesPerSecond:F1} img/s", versus.PytorchImagesPerSecond is { } p ? $"{p:F1} img/s (PyTorch)" : Term.Escape(versus.Error ?? ""), versus.Ratio is { } r ? $"{r:F2}x" : "-", ">= 1.0x");
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    static Command Data()
    {
        var path = new Argument<string?>("path") { Description = "An ImageFolder of JPEG photos. Default: 500 generated ~500x375 JPEGs in the kit's cache.", Arity = ArgumentArity.ZeroOrOne };
        var size = new Option<int>("--size") { Description = "Crop size.", DefaultValueFactory = _ => 224 }.Within(Ranges.ImageSize);
        var batch = new Option<int>("--batch-size") { Description = "Batch size.", DefaultValueFactory = _ => 32 }.Within(Ranges.BatchSize);
        var workers = new Option<int>("--workers") { Description = "Decoding workers (threads for the kit, processes for PyTorch).", DefaultValueFactory = _ => 2 }.Within(Ranges.Workers);
        var epochs = new Option<int>("--epochs") { Description = "Timed epochs, after one warm-up epoch (both sides).", DefaultValueFactory = _ => 5 }.Within(Ranges.Epochs);
        var peer = new Option<string?>("--peer") { Description = "The PyTorch reference runner (default: NBKIT_PYTORCH_PEER, or shared/tools/pytorch-peer beside the repository)." };
        var json = CommonOptions.Json();
        var command = new Command("data", "Images/s of the training input pipeline (decode + RandomResizedCrop + flip + normalize) vs torchvision's ImageFolder + DataLoader with PIL. Goal: at least 2x.")
        { path, size, batch, workers, epochs, peer, json };
        command.SetAction(parse =>
        {
            NumberOptions.CheckInputBatch(parse.GetValue(batch), parse.GetValue(size), sizeOption: "--size");
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
                    profile = ProfileJson(result.Profile),
                });
                return 0;
            }
            var table = new Table().Border(TableBorder.Rounded).AddColumn("pipeline").AddColumn(new TableColumn("images/s").RightAligned());
            table.AddRow("NotebookKit (ImageSharp, threads)", result.KitImagesPerSecond.ToString("F1", CultureInfo.InvariantCulture));
            table.AddRow(Term.Escape(result.Reference ?? "PyTorch reference"), result.PytorchImagesPerSecond?.ToString("F1", CultureInfo.InvariantCulture) ?? $"[yellow]{Term.Escape(result.ReferenceError ?? "not run")}[/]");
            AnsiConsole.Write(table);
            if (result.Ratio is { } ratio)
                AnsiConsole.MarkupLine($"ratio {ratio:F2}x (goal: at least 2x) {(ratio >= 2 ? "[green]met[/]" : "[red]not met[/]")}");
            AnsiConsole.WriteLine(DescribeProfile(result.Profile));
            return 0;
        });
        return command;
    }

    static object ProfileJson(LoaderProfile p) => new
    {
        batches = p.Batches,
        seconds = p.Seconds,
        consumer_cpu_ms_per_batch = p.ConsumerCpuMsPerBatch,
        consumer_cap_images_per_second = p.ConsumerCapImagesPerSecond,
        allocated_kb_per_image = p.AllocatedKBPerImage,
        gc_collections = new[] { p.Gen0Collections, p.Gen1Collections, p.Gen2Collections },
        gc_pause_percent = p.GcPausePercent,
        lock_contentions = p.LockContentions,
    };

    /// <summary>The loader's costs besides decoding, in one paragraph (what limits it when workers are added).</summary>
    static string DescribeProfile(LoaderProfile p)
    {
        var inv = CultureInfo.InvariantCulture;
        var consumer = p.ConsumerCpuMsPerBatch is { } ms
            ? string.Format(inv, "consuming thread {0:F2} ms CPU per batch (alone it would cap the loader at {1:N0} images/s)", ms, p.ConsumerCapImagesPerSecond)
            : "consuming thread's CPU time not available on this platform";
        return string.Format(inv, "profile over {0} batches: {1}; {2:F1} KB allocated per image; GC {3}/{4}/{5} collections (gen 0/1/2), {6:F1} % of the time paused; {7} lock contentions",
            p.Batches, consumer, p.AllocatedKBPerImage, p.Gen0Collections, p.Gen1Collections, p.Gen2Collections, p.GcPausePercent, p.LockContentions);
    }
}
