using System.Diagnostics;
using NotebookKit.Data;
using NotebookKit.Experiments;
using NotebookKit.Models;
using NotebookKit.Runtime;
using NotebookKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookKit.Cli.Bench;

/// <summary>
/// <c>nbkit bench train</c>: (1) the kit's training step against a plain TorchSharp loop on the same model and batch;
/// (2) the feature cache's speed-up for head training; (3) ResNet-50 training steps against PyTorch on this machine.
/// </summary>
static class TrainBenchmark
{
    public sealed record StepOverhead(string Arch, int Size, int Batch, int Steps, double PlainSecondsPerStep, double KitSecondsPerStep)
    {
        public double Overhead => KitSecondsPerStep / PlainSecondsPerStep - 1;
    }

    public sealed record CacheSpeedup(int Images, int HeadEpochs, double BackbonePassSeconds, double CachedSeconds)
    {
        public double CachedOverOnePass => CachedSeconds / BackbonePassSeconds;
        public double UncachedOverOnePass => HeadEpochs; // each uncached epoch is one backbone pass (plus a negligible head step)
    }

    public sealed record VersusPytorch(int Size, int Batch, double KitImagesPerSecond, double? PytorchImagesPerSecond, string? Error)
    {
        public double? Ratio => PytorchImagesPerSecond is { } p ? KitImagesPerSecond / p : null;
    }

    public static StepOverhead MeasureStepOverhead(string arch = "resnet18", int size = 64, int batch = 16, int steps = 15, int rounds = 3)
    {
        TorchRuntime.Require();
        manual_seed(0);
        using var images = randn(batch, 3, size, size);
        using var labels = randint(0, 10, [batch]);
        var plain = new List<double>();
        var kit = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            // Plain TorchSharp: the loop everyone writes first.
            using (var model = ResNetModel.Create(arch, 10))
            {
                model.train();
                using var optimizer = optim.SGD(model.parameters(), 0.01, 0.9, 0, 1e-4);
                void Step()
                {
                    using var scope = NewDisposeScope();
                    optimizer.zero_grad();
                    var loss = nn.functional.cross_entropy(model.call(images), labels);
                    loss.backward();
                    optimizer.step();
                }
                Step();
                var watch = Stopwatch.StartNew();
                for (int i = 0; i < steps; i++) Step();
                plain.Add(watch.Elapsed.TotalSeconds / steps);
            }
            // The kit: Trainer.Fit over the same batch, the same optimizer settings, no validation.
            using (var model = ResNetModel.Create(arch, 10))
            {
                var options = new TrainOptions { Epochs = 1, Schedule = ScheduleKind.None, Optimizer = new OptimizerOptions { LearningRate = 0.01, NoDecayOnNormAndBias = false } };
                new Trainer(model, new FixedBatches(images, labels, 1), null, options).Fit();
                var watch = Stopwatch.StartNew();
                new Trainer(model, new FixedBatches(images, labels, steps), null, options).Fit();
                kit.Add(watch.Elapsed.TotalSeconds / steps);
            }
        }
        return new StepOverhead(arch, size, batch, steps, Median(plain), Median(kit));
    }

    public static CacheSpeedup MeasureCache(int perClass = 30, int size = 64, int headEpochs = 10)
    {
        TorchRuntime.Require();
        var settings = new TrainSettings { TrainPerClass = perClass, ValidationPerClass = 1, ImageSize = size };
        var data = PreparedData.From(settings);
        var pretrained = NotebookKit.Models.Weights.Pretrained.Load("resnet18", "mlnet-imagenet", 10);
        using var model = pretrained.Model;
        using var loader = new DataLoader(data.Train, pretrained.Preprocessing.Eval(size), new DataLoaderOptions { BatchSize = 32 });
        FeatureCache.Compute(model, loader, 32, true, 0).Dispose(); // warm-up
        var pass = Stopwatch.StartNew();
        model.eval();
        using (no_grad())
            foreach (var batch in loader.Epoch(0)) using (batch) using (NewDisposeScope()) model.ForwardFeatures(batch.Images);
        double onePass = pass.Elapsed.TotalSeconds;

        var cached = Stopwatch.StartNew();
        using (var cache = FeatureCache.Compute(model, loader, 32, true, 0))
        {
            Freezing.FreezeUpTo(model, "layer4");
            new Trainer(model, cache, null, new TrainOptions { Epochs = headEpochs }).Fit();
        }
        return new CacheSpeedup(data.Train.Count, headEpochs, onePass, cached.Elapsed.TotalSeconds);
    }

    public static VersusPytorch MeasureAgainstPytorch(string? peer, int size = 160, int batch = 16, int steps = 6)
    {
        TorchRuntime.Require();
        manual_seed(0);
        using var images = randn(batch, 3, size, size);
        using var labels = randint(0, 10, [batch]);
        using var model = ResNetModel.Create("resnet50", 10);
        var options = new TrainOptions { Epochs = 1, Schedule = ScheduleKind.None, Optimizer = new OptimizerOptions { LearningRate = 0.01, NoDecayOnNormAndBias = false } };
        new Trainer(model, new FixedBatches(images, labels, 2), null, options).Fit();
        var watch = Stopwatch.StartNew();
        new Trainer(model, new FixedBatches(images, labels, steps), null, options).Fit();
        double kit = batch * steps / watch.Elapsed.TotalSeconds;
        if (peer is null) return new VersusPytorch(size, batch, kit, null, "no PyTorch peer found (--peer, NBKIT_PYTORCH_PEER)");
        try
        {
            var reference = PytorchPeer.Run(peer, "train_step.py", [size.ToString(), batch.ToString(), steps.ToString(), get_num_threads().ToString()], TimeSpan.FromMinutes(15));
            return new VersusPytorch(size, batch, kit, reference.GetProperty("images_per_second").GetDouble(), null);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            return new VersusPytorch(size, batch, kit, null, e.Message);
        }
    }

    static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
