using NotebookKit.Data;
using NotebookKit.Models;
using NotebookKit.Models.Weights;
using NotebookKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookKit.Experiments;

/// <summary>The outcome of training one strategy with one seed.</summary>
/// <param name="Strategy">The strategy.</param>
/// <param name="Seed">The seed.</param>
/// <param name="Result">Per-epoch history and best accuracy.</param>
/// <param name="Evaluation">The final model on the validation set (confusion matrix, wrong examples, …).</param>
/// <param name="TrainableParameters">Parameters that trained (at the end).</param>
/// <param name="Seconds">Wall time of training (feature caching included).</param>
/// <param name="TrainImages">Training images per epoch.</param>
public sealed record StrategyRun(Strategy Strategy, int Seed, TrainResult Result, Evaluation Evaluation, long TrainableParameters, double Seconds, int TrainImages)
{
    /// <summary>Training images per second end to end (feature caching and validation included): what the strategy costs.</summary>
    public double ImagesPerSecond => Seconds <= 0 ? 0 : (double)TrainImages * Result.History.Count / Seconds;
}

/// <summary>The data every strategy of a run shares: the same split, the same pipelines.</summary>
/// <param name="Source">The dataset as found.</param>
/// <param name="Train">Training samples (after the optional per-class subset).</param>
/// <param name="Validation">Validation samples.</param>
public sealed record PreparedData(DatasetSource Source, ImageDataset Train, ImageDataset Validation)
{
    /// <summary>Opens and splits the data the settings name (stratified, seeded).</summary>
    public static PreparedData From(TrainSettings settings)
    {
        var source = Datasets.Open(settings.Data);
        var (train, validation) = source.Split(settings.ValidationFraction, settings.Seed);
        if (settings.TrainPerClass is { } t) train = DatasetSplits.PerClass(train, t, settings.Seed);
        if (settings.ValidationPerClass is { } v) validation = DatasetSplits.PerClass(validation, v, settings.Seed);
        return new PreparedData(source, train, validation);
    }
}

/// <summary>Trains one strategy: builds the model, the loaders from the weights' own preprocessing, and runs the recipe.</summary>
public static class StrategyRunner
{
    /// <summary>Runs <paramref name="strategy"/> with <paramref name="seed"/>.</summary>
    public static StrategyRun Run(Strategy strategy, TrainSettings settings, PreparedData data, int seed, Action<Trainer>? observe = null,
        CancellationToken cancellation = default, string? checkpointDirectory = null, string? resumeFrom = null)
    {
        if (resumeFrom is not null && strategy.Kind == StrategyKind.FineTune)
            throw new ArgumentException("Resuming is supported for single-phase strategies (scratch, frozen, full, partial:N); finetune runs two phases.", nameof(resumeFrom));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        manual_seed(Data.Seeds.Mix(seed, 991)); // the new head's initial weights (and scratch's whole body)
        // Scratch uses the same architecture as the pretrained weights, so the comparison is like for like.
        var pretrained = Pretrained.Load(settings.ResolvedArchitecture, strategy.Pretrained ? settings.Weights : "random", data.Train.Classes.Count);
        using var model = pretrained.Model;
        var preprocessing = pretrained.Preprocessing;
        var loaderOptions = new DataLoaderOptions { BatchSize = settings.BatchSize, Seed = seed, Workers = settings.Workers, Device = Runtime.TorchRuntime.Device };
        var train = new DataLoader(data.Train, preprocessing.Train(settings.ImageSize, settings.Augment), loaderOptions);
        var validation = new DataLoader(data.Validation, preprocessing.Eval(settings.ImageSize), loaderOptions with { Shuffle = false });
        var options = new TrainOptions
        {
            Epochs = settings.Epochs, Optimizer = settings.OptimizerOptions, Schedule = settings.Schedule, Seed = seed,
            ClipGradNorm = settings.ClipGradNorm, Phase = strategy.Name,
            CheckpointDirectory = checkpointDirectory, ResumeFrom = resumeFrom,
        };

        FeatureCache? trainCache = null, validationCache = null;
        try
        {
            var input = new RecipeInput(model, train, validation, options, BatchNorm: settings.BatchNorm);
            if (strategy.Kind == StrategyKind.Frozen && !settings.Augment && resumeFrom is null)
            {
                model.to(Runtime.TorchRuntime.Device);
                trainCache = FeatureCache.Compute(model, train, settings.BatchSize, shuffle: true, seed);
                validationCache = FeatureCache.Compute(model, validation, settings.BatchSize, shuffle: false, seed);
                input = input with { FeatureCache = (trainCache, validationCache) };
            }
            var result = strategy.Kind switch
            {
                StrategyKind.Scratch => Recipes.Scratch(input, observe, cancellation),
                StrategyKind.Frozen => Recipes.FeatureExtraction(input, observe, cancellation),
                StrategyKind.FineTune => Recipes.FineTune(input, observe: observe, cancellation: cancellation),
                StrategyKind.Full => Recipes.FullFineTune(input, observe, cancellation),
                _ => Recipes.PartialFineTune(input, strategy.FrozenStages, observe, cancellation),
            };
            var evaluation = Trainer.Evaluate(model, validationCache is not null ? validationCache : validation, device: Runtime.TorchRuntime.Device);
            return new StrategyRun(strategy, seed, result, evaluation, Freezing.Report(model).Trainable, watch.Elapsed.TotalSeconds, data.Train.Count);
        }
        finally
        {
            trainCache?.Dispose();
            validationCache?.Dispose();
        }
    }
}
