using NotebookKit.Data;
using NotebookKit.Models.Weights;
using NotebookKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookKit.Experiments;

/// <summary>Trains one strategy: builds the model, the loaders from the weights' own preprocessing, and runs the strategy.</summary>
public static class StrategyRunner
{
    /// <summary>
    /// Runs <paramref name="strategy"/> with <paramref name="seed"/>, reporting to <paramref name="observer"/> (default: the
    /// live display of notebooks and apps, if any). The final model is evaluated on the validation set; with
    /// <paramref name="validateEachEpoch"/> (default) it is also evaluated after every epoch (learning curves, best epoch).
    /// </summary>
    public static StrategyRun Run(Strategy strategy, TrainSettings settings, PreparedData data, int seed, ITrainingObserver? observer = null,
        CancellationToken cancellation = default, string? checkpointDirectory = null, string? resumeFrom = null, bool validateEachEpoch = true)
    {
        if (resumeFrom is not null && Checkpoints.Peek(resumeFrom) is { } done && done.EpochOffset + done.Epoch >= settings.Epochs)
            throw new KitException($"{resumeFrom} is already trained for {done.EpochOffset + done.Epoch} of {settings.Epochs} epoch(s); nothing is left to resume. Give more --epochs to train on, or start afresh.");
        strategy = strategy.For(settings);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        manual_seed(Seeds.Mix(seed, SeedSalts.ModelInit)); // the new head's initial weights (and scratch's whole body)
        // Scratch uses the same architecture as the pretrained weights, so the comparison is like for like.
        var pretrained = Pretrained.Load(settings.ResolvedArchitecture, strategy.Pretrained ? settings.Weights : "random", data.Train.Classes.Count,
            allowPartial: settings.AllowPartialWeights);
        using var model = pretrained.Model;
        model.to(Runtime.TorchRuntime.Device);
        var preprocessing = pretrained.Preprocessing;
        // Batches are made for the model's device: pinned and copied ahead on CUDA.
        var loaderOptions = new DataLoaderOptions { BatchSize = settings.BatchSize, Seed = seed, Workers = settings.Workers, Device = model.Device };
        using var train = new DataLoader(data.Train, preprocessing.Train(settings.ImageSize, settings.Augment), loaderOptions);
        using var validation = new DataLoader(data.Validation, preprocessing.Eval(settings.ImageSize), loaderOptions with { Shuffle = false });
        var options = new TrainOptions
        {
            Epochs = settings.Epochs, Optimizer = settings.OptimizerOptions, Schedule = settings.Schedule, Seed = seed,
            ClipGradNorm = settings.ClipGradNorm, Phase = strategy.Name, Observer = observer,
            CheckpointDirectory = checkpointDirectory, ResumeFrom = resumeFrom,
        };

        FeatureCache? trainCache = null, validationCache = null;
        try
        {
            var input = new RecipeInput(model, train, validateEachEpoch ? validation : null, options, BatchNorm: settings.BatchNorm);
            // Cached features are those of a body that does not change: not with augmentation, and not when BatchNorm in the
            // frozen body trains (TrainAffine) or normalises with each batch's statistics (Naive).
            if (strategy.CanUseFeatureCache && !settings.Augment && settings.BatchNorm == Models.BatchNormPolicy.FrozenStatistics && resumeFrom is null)
            {
                trainCache = FeatureCache.Compute(model, train, settings.BatchSize, shuffle: true, seed, observer: observer);
                validationCache = FeatureCache.Compute(model, validation, settings.BatchSize, shuffle: false, seed, observer: observer);
                input = input with { FeatureCache = (trainCache, validateEachEpoch ? validationCache : null) };
            }
            var result = strategy.Train(input, cancellation);
            var evaluation = Trainer.Evaluate(model, validationCache is not null ? validationCache : validation);
            // A file that cannot be decoded is left out on every path (loader or feature cache), and said.
            var skipped = (trainCache?.Problems ?? train.Problems).Concat(validationCache?.Problems ?? validation.Problems)
                .DistinctBy(p => p.Path).OrderBy(p => p.Path, StringComparer.Ordinal).ToList();
            return new StrategyRun(strategy, seed, result, evaluation, model.Trainability().Trainable, watch.Elapsed.TotalSeconds, data.Train.Count)
                { WeightsReport = pretrained.Report, SkippedFiles = skipped, UsedFeatureCache = trainCache is not null };
        }
        finally
        {
            trainCache?.Dispose();
            validationCache?.Dispose();
        }
    }
}
