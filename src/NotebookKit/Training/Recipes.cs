using NotebookKit.Data;
using NotebookKit.Models;

namespace NotebookKit.Training;

/// <summary>What a recipe needs: the model (already pretrained or random), the data, the budget and the optimiser settings.</summary>
/// <param name="Model">The model, its head sized for the task.</param>
/// <param name="Train">Training batches (augmented or not).</param>
/// <param name="Validation">Validation batches.</param>
/// <param name="Options">Epochs, learning rate, schedule, seed… shared by every recipe for a fair comparison.</param>
/// <param name="FeatureCache">For <see cref="Recipes.FeatureExtraction"/>: cached backbone features to train the head on (optional).</param>
/// <param name="BatchNorm">What BatchNorm does in frozen stages.</param>
public sealed record RecipeInput(ResNetModel Model, IBatchSource Train, IBatchSource? Validation, TrainOptions Options,
    (FeatureCache Train, FeatureCache? Validation)? FeatureCache = null, BatchNormPolicy BatchNorm = BatchNormPolicy.FrozenStatistics);

/// <summary>
/// The strategies compared by the kit, each a few readable lines over freezing, optimisation and the trainer.
/// Every recipe gets the same epoch budget.
/// </summary>
public static class Recipes
{
    /// <summary>Random initialisation, everything trains: the baseline that pretrained weights must beat.</summary>
    public static TrainResult Scratch(RecipeInput input, Action<Trainer>? observe = null, CancellationToken cancellation = default)
    {
        Freezing.Unfreeze(input.Model);
        return Run(input.Model, input.Train, input.Validation, input.Options, observe, cancellation);
    }

    /// <summary>Feature extraction: freeze the whole body (BatchNorm statistics too), train the new head. Uses cached features when given.</summary>
    public static TrainResult FeatureExtraction(RecipeInput input, Action<Trainer>? observe = null, CancellationToken cancellation = default)
    {
        Freezing.FreezeUpTo(input.Model, "layer4", input.BatchNorm);
        var options = input.Options with { Optimizer = input.Options.Optimizer with { BackboneLrMultiplier = 1 } };
        return input.FeatureCache is { } cache
            ? Run(input.Model, cache.Train, cache.Validation, options, observe, cancellation)
            : Run(input.Model, input.Train, input.Validation, options, observe, cancellation);
    }

    /// <summary>
    /// fastai's fine_tune: train the head on a frozen body for one epoch, then unfreeze everything and train with
    /// discriminative learning rates (stem LR/100 … head LR/2) for the rest of the budget.
    /// </summary>
    public static TrainResult FineTune(RecipeInput input, int frozenEpochs = 1, Action<Trainer>? observe = null, CancellationToken cancellation = default)
    {
        var budget = input.Options.Epochs;
        frozenEpochs = Math.Clamp(frozenEpochs, 0, Math.Max(0, budget - 1));
        var history = new List<EpochRecord>();
        using var live = LiveTraining.Scope("fine-tuning: head, then everything");
        using var curve = LiveTraining.Curve("fine-tune", budget);
        if (frozenEpochs > 0)
        {
            Freezing.FreezeUpTo(input.Model, "layer4", input.BatchNorm);
            var head = Run(input.Model, input.Train, input.Validation, input.Options with { Epochs = frozenEpochs, Phase = "head" }, observe, cancellation);
            history.AddRange(head.History);
            if (head.Cancelled) return head;
        }
        Freezing.Unfreeze(input.Model);
        var rate = input.Options.Optimizer.LearningRate / 2;
        var unfrozen = Run(input.Model, input.Train, input.Validation, input.Options with
        {
            Epochs = budget - frozenEpochs,
            Phase = "unfrozen",
            Seed = input.Options.Seed + 1,
            Optimizer = input.Options.Optimizer with { LearningRate = rate, BackboneLrMultiplier = 0.01, Discriminative = true },
        }, observe, cancellation);
        history.AddRange(unfrozen.History.Select(r => r with { Epoch = r.Epoch + frozenEpochs }));
        if (!unfrozen.Cancelled) live.Complete();
        var best = history.Where(h => !double.IsNaN(h.ValidationAccuracy)).DefaultIfEmpty().MaxBy(h => h?.ValidationAccuracy ?? double.MinValue);
        return unfrozen with { History = history, BestValidationAccuracy = best?.ValidationAccuracy ?? double.NaN, BestEpoch = best?.Epoch ?? 0 };
    }

    /// <summary>Everything trains from the pretrained weights, the body at the options' backbone learning-rate multiplier (default 0.1).</summary>
    public static TrainResult FullFineTune(RecipeInput input, Action<Trainer>? observe = null, CancellationToken cancellation = default)
    {
        Freezing.Unfreeze(input.Model);
        var multiplier = input.Options.Optimizer.BackboneLrMultiplier == 1 ? 0.1 : input.Options.Optimizer.BackboneLrMultiplier;
        return Run(input.Model, input.Train, input.Validation, input.Options with { Optimizer = input.Options.Optimizer with { BackboneLrMultiplier = multiplier } }, observe, cancellation);
    }

    /// <summary>Freezes the first <paramref name="frozenStages"/> stages (stem = 1) and fine-tunes the rest at the backbone multiplier.</summary>
    public static TrainResult PartialFineTune(RecipeInput input, int frozenStages, Action<Trainer>? observe = null, CancellationToken cancellation = default)
    {
        Freezing.FreezeFirst(input.Model, frozenStages, input.BatchNorm);
        var multiplier = input.Options.Optimizer.BackboneLrMultiplier == 1 ? 0.1 : input.Options.Optimizer.BackboneLrMultiplier;
        return Run(input.Model, input.Train, input.Validation, input.Options with { Optimizer = input.Options.Optimizer with { BackboneLrMultiplier = multiplier } }, observe, cancellation);
    }

    static TrainResult Run(ResNetModel model, IBatchSource train, IBatchSource? validation, TrainOptions options, Action<Trainer>? observe, CancellationToken cancellation)
    {
        var trainer = new Trainer(model, train, validation, options);
        observe?.Invoke(trainer);
        return trainer.Fit(cancellation);
    }
}
