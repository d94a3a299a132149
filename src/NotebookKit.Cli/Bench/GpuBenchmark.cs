using System.Diagnostics;
using System.Text.Json;
using NotebookKit.Data;
using NotebookKit.Data.Transforms;
using NotebookKit.Models;
using NotebookKit.Runtime;
using NotebookKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookKit.Cli.Bench;

/// <summary>
/// <c>nbkit bench gpu</c>: the kit against PyTorch on one CUDA device, row by row, in one run (the PyTorch side is
/// Bench/reference/gpu.py under the peer's python3). Train and eval rows use a fixed random batch; the pipeline and
/// end-to-end rows use generated ~500x375 JPEGs with RandomResizedCrop + flip + normalize. fp32 with TF32 on both sides.
/// </summary>
static class GpuBenchmark
{
    /// <summary>What to measure.</summary>
    /// <param name="Quick">Tiny sizes, for testing the benchmark itself (e.g. <c>--device cpu --quick</c>).</param>
    public sealed record Settings(string Arch, int Size, int Batch, int Steps, int Warmup, IReadOnlyList<int> Workers, int Images, bool Bf16, bool Quick)
    {
        public static Settings QuickTest(Settings s) =>
            s with { Arch = "resnet18", Size = 32, Batch = 4, Steps = 2, Warmup = 1, Workers = [1, 2], Images = 8, Bf16 = false };
    }

    /// <summary>One row of the table: images/s of the kit and of the reference, and the goal for their ratio.</summary>
    public sealed record Row(string Key, string What, double? Kit, double? Reference, string ReferenceName, double? Goal, string? Error = null, LoaderProfile? Profile = null)
    {
        public double? Kit { get; } = Kit is { } k && double.IsFinite(k) ? k : null; // JSON has no NaN
        public double? Reference { get; } = Reference is { } r && double.IsFinite(r) ? r : null;

        public double? Ratio => Kit is { } k && Reference is { } r && r > 0 ? k / r : null;
    }

    public sealed record Result(string Device, Settings Settings, string Folder, IReadOnlyList<Row> Rows, string? Reference, string? ReferenceError);

    /// <summary>
    /// Why <paramref name="device"/> (<c>cuda</c>, <c>cuda:N</c>, <c>cpu</c>) cannot be used (e.g. "no CUDA device"), or null.
    /// Loads torch first (with the kit's fixes), so call it before touching TorchSharp.
    /// </summary>
    public static string? Unavailable(string device)
    {
        var status = TorchRuntime.Initialize();
        if (!status.Loaded) return $"no CUDA device (torch did not load: {status.Error})";
        if (device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase) && !status.Cuda) return "no CUDA device";
        return null;
    }

    public static Result Run(Settings s, Device device, string? peer)
    {
        TorchRuntime.Require();
        if (device.type == DeviceType.CUDA)
        {
            backends.cuda.matmul.allow_tf32 = true;
            backends.cudnn.allow_tf32 = true;
        }
        var folder = s.Quick
            ? BenchPhotos.Ensure(Path.Combine(KitPaths.Home, "bench", $"photos-{s.Images}-quick"), s.Images, 96, 72)
            : BenchPhotos.Ensure(Path.Combine(KitPaths.Home, "bench", $"photos-{s.Images}"), s.Images);

        // One failing row (out of memory, say) leaves the others measured: its error is reported in its place.
        var kit = new Dictionary<string, double?>();
        var errors = new Dictionary<string, string>();
        void Measure(string key, Func<double> measure)
        {
            try { kit[key] = measure(); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                kit[key] = null;
                errors[key] = $"{e.GetType().Name}: {e.Message}";
            }
        }
        Measure("train_step", () => RawTrainStep(s, device));
        Measure("eval", () => Eval(s, device));
        Measure("trainer_host_batch", () => TrainerOnFixedBatch(s, device, onDevice: false));
        Measure("trainer_device_batch", () => TrainerOnFixedBatch(s, device, onDevice: true));
        // The pipeline rows keep their loader profile: the consuming thread's CPU per batch says whether it, and not the
        // workers, limits the loader (what stopped it scaling past 8 workers before workers wrote into the batch memory).
        var profiles = new Dictionary<string, LoaderProfile>();
        double Profiled(string key, Func<LoaderProfile> measure)
        {
            var profile = measure();
            profiles[key] = profile;
            return profile.Images / profile.Seconds;
        }
        foreach (int w in s.Workers) Measure($"pipeline_{w}", () => Profiled($"pipeline_{w}", () => Pipeline(folder, s, w, to: null)));
        Measure("pipeline_to_device", () => Profiled("pipeline_to_device", () => Pipeline(folder, s, s.Workers.Max(), to: device)));
        Measure("end_to_end", () => EndToEnd(folder, s, device));

        JsonElement? reference = null;
        string? referenceName = null, referenceError = null;
        if (peer is null) referenceError = "no PyTorch peer found (--peer, NBKIT_PYTORCH_PEER)";
        else
            try
            {
                string[] arguments = ["--device", device.ToString(), "--arch", s.Arch, "--size", $"{s.Size}", "--batch", $"{s.Batch}", "--steps", $"{s.Steps}",
                    "--warmup", $"{s.Warmup}", "--workers", string.Join(",", s.Workers), "--folder", folder, "--threads", $"{get_num_threads()}", .. s.Bf16 ? new[] { "--bf16" } : []];
                var r = PytorchPeer.Run(peer, "gpu.py", arguments, TimeSpan.FromMinutes(s.Quick ? 5 : 6));
                reference = r;
                referenceName = $"torch {r.GetProperty("torch").GetString()}, torchvision {r.GetProperty("torchvision").GetString()}";
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception or JsonException)
            {
                referenceError = e.Message;
            }

        double? Ref(string key) => reference is { } r && r.GetProperty("rows").TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
        var maxWorkers = s.Workers.Max();
        var rows = new List<Row>
        {
            new("train_step", "raw TorchSharp train step, data on the device", kit["train_step"], Ref("train_step"), "PyTorch", 1.0),
            new("eval", "eval forward", kit["eval"], Ref("eval"), "PyTorch", 1.0),
            new("trainer_host_batch", "kit Trainer, fixed batch handed over from host memory", kit["trainer_host_batch"], kit["train_step"], "raw TorchSharp", 0.97),
            new("trainer_device_batch", "kit Trainer, fixed batch already on the device", kit["trainer_device_batch"], kit["train_step"], "raw TorchSharp", 0.97),
        };
        foreach (int w in s.Workers)
            rows.Add(new($"pipeline_{w}", $"input pipeline alone, {w} worker{(w == 1 ? "" : "s")}", kit[$"pipeline_{w}"], Ref($"pipeline_{w}"), "DataLoader", w >= 8 ? 1.5 : null));
        rows.Add(new("pipeline_to_device", $"input pipeline to the device, {maxWorkers} workers (pinned, copies ahead)", kit["pipeline_to_device"], Ref("pipeline_to_device"), "DataLoader(pin_memory)", null));
        rows.Add(new("end_to_end", $"end to end: JPEG training, {maxWorkers} workers", kit["end_to_end"], Ref("end_to_end"), "ImageFolder + DataLoader(pin_memory) + loop", 1.0));
        if (s.Bf16) rows.Add(new("train_step_bf16", "train step with bf16 autocast (reference only)", null, Ref("train_step_bf16"), "PyTorch", null));
        return new Result(device.ToString(), s, folder, rows.Select(r => r with { Error = errors.GetValueOrDefault(r.Key), Profile = profiles.GetValueOrDefault(r.Key) }).ToList(), referenceName, referenceError);
    }

    static void Sync(Device device)
    {
        if (device.type == DeviceType.CUDA) cuda.synchronize(device);
    }

    static ResNetModel Model(Settings s, Device device, int classes)
    {
        manual_seed(0);
        var model = ResNetModel.Create(s.Arch, classes);
        model.to(device);
        return model;
    }

    static (Tensor Images, Tensor Labels) FixedBatch(Settings s, Device device, int classes)
    {
        manual_seed(1);
        return (randn([s.Batch, 3, s.Size, s.Size], device: device).DetachFromDisposeScope(), randint(0, classes, [s.Batch], device: device).DetachFromDisposeScope());
    }

    /// <summary>The loop everyone writes first: forward, cross-entropy, backward, SGD step, on a batch already on the device.</summary>
    static double RawTrainStep(Settings s, Device device)
    {
        using var model = Model(s, device, 1000);
        var (x, y) = FixedBatch(s, device, 1000);
        using (x)
        using (y)
        {
            model.train();
            using var optimizer = optim.SGD(model.parameters(), 0.01, 0.9, 0, 1e-4);
            void Step()
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(model.call(x), y);
                loss.backward();
                optimizer.step();
            }
            return Timed(s, device, Step);
        }
    }

    static double Eval(Settings s, Device device)
    {
        using var model = Model(s, device, 1000);
        var (x, y) = FixedBatch(s, device, 1000);
        using (x)
        using (y)
        {
            model.eval();
            using var _ = no_grad();
            return Timed(s, device, () =>
            {
                using var scope = NewDisposeScope();
                model.call(x);
            });
        }
    }

    static double Timed(Settings s, Device device, Action step)
    {
        for (int i = 0; i < s.Warmup; i++) step();
        Sync(device);
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < s.Steps; i++) step();
        Sync(device);
        return (double)s.Batch * s.Steps / watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// <see cref="Trainer.Fit"/> over the same batch, from host memory (copied every step, as any host batch is) or already
    /// on the device; timed from the end of the warm-up steps to the end of the fit (device synchronised at both ends).
    /// </summary>
    static double TrainerOnFixedBatch(Settings s, Device device, bool onDevice)
    {
        using var model = Model(s, device, 1000);
        var (x, y) = FixedBatch(s, onDevice ? device : CPU, 1000);
        using (x)
        using (y)
        {
            var options = new TrainOptions
            {
                Epochs = 1, Schedule = ScheduleKind.None, Device = device, Observer = TrainingObserver.None,
                Optimizer = new OptimizerOptions { LearningRate = 0.01, NoDecayOnNormAndBias = false },
            };
            var trainer = new Trainer(model, new FixedBatches(x, y, s.Warmup + s.Steps, 1000), null, options);
            Stopwatch? watch = null;
            int timedFrom = 0;
            trainer.BatchCompleted += progress =>
            {
                if (watch is not null || progress.Batch < s.Warmup) return;
                Sync(device);
                (watch, timedFrom) = (Stopwatch.StartNew(), progress.Batch);
            };
            var whole = Stopwatch.StartNew();
            trainer.Fit();
            Sync(device);
            // Timed from the end of the warm-up (or the whole fit, if no progress came by then).
            return watch is null ? (double)s.Batch * (s.Warmup + s.Steps) / whole.Elapsed.TotalSeconds
                : (double)s.Batch * (s.Warmup + s.Steps - timedFrom) / watch.Elapsed.TotalSeconds;
        }
    }

    /// <summary>The training input pipeline over one timed epoch, after a warm-up epoch; batches disposed at once.</summary>
    static LoaderProfile Pipeline(string folder, Settings s, int workers, Device? to)
    {
        var data = Datasets.Open(folder).Train;
        using var loader = new DataLoader(data, ImagePipeline.Train(s.Size, Normalization.ImageNet),
            new DataLoaderOptions { BatchSize = s.Batch, Workers = workers, Seed = 0, Device = to });
        LoaderProfile.Drain(loader, 0);
        if (to is { } warm) Sync(warm);
        return LoaderProfile.Measure(loader, firstEpoch: 1, epochs: 1, finish: to is { } device ? () => Sync(device) : null);
    }

    /// <summary>
    /// <c>nbkit train</c>'s path on the JPEGs: a scratch network, the augmenting pipeline, the loader making batches for the
    /// device, <see cref="Trainer.Fit"/>; two epochs, the second timed (from the end of the first, device synchronised).
    /// </summary>
    static double EndToEnd(string folder, Settings s, Device device)
    {
        var data = Datasets.Open(folder).Train;
        using var model = Model(s, device, data.Classes.Count);
        using var loader = new DataLoader(data, ImagePipeline.Train(s.Size, Normalization.ImageNet),
            new DataLoaderOptions { BatchSize = s.Batch, Workers = s.Workers.Max(), Seed = 0, Device = model.Device });
        var options = new TrainOptions
        {
            Epochs = 2, Schedule = ScheduleKind.None, Device = device, Observer = TrainingObserver.None,
            Optimizer = new OptimizerOptions { LearningRate = 0.01, NoDecayOnNormAndBias = false },
        };
        var trainer = new Trainer(model, loader, null, options);
        Stopwatch? watch = null;
        double seconds = double.NaN;
        trainer.EpochCompleted += record =>
        {
            Sync(device);
            if (watch is null) watch = Stopwatch.StartNew();
            else seconds = watch.Elapsed.TotalSeconds;
        };
        trainer.Fit();
        return (data.Count - loader.Problems.Count) / seconds; // every image once per epoch (the generated JPEGs have no bad files)
    }
}
