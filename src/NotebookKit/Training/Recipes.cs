using NotebookKit.Data;
using NotebookKit.Models;

namespace NotebookKit.Training;

/// <summary>
/// The strategies compared by the kit, each a few readable lines over freezing, optimisation and the trainer.
/// Every recipe runs <see cref="TrainOptions.Epochs"/> epochs in all; each knob is a parameter with its default stated.
/// </summary>
public static class Recipes
{
    /// <summary>Random initialisation, everything trains with the options as given: the baseline that pretrained weights must beat.</summary>
    public static TrainResult Scratch(RecipeInput input, CancellationToken cancellation = default)
    {
        Freezing.Unfreeze(input.Model);
        return Fit(input, input.Options, cancellation);
    }

    /// <summary>Feature extraction: freeze the whole body (BatchNorm statistics too, by default), train the new head. Uses cached features when given.</summary>
    public static TrainResult FeatureExtraction(RecipeInput input, CancellationToken cancellation = default)
    {
        Freezing.FreezeUpTo(input.Model, "layer4", input.BatchNorm);
        var options = input.Options with { Optimizer = input.Options.Optimizer with { BackboneLrMultiplier = 1 } };
        return input.FeatureCache is { } cache
            ? new Trainer(input.Model, cache.Train, cache.Validation, options).Fit(cancellation)
            : Fit(input, options, cancellation);
    }

    /// <summary>
    /// fastai's <c>fine_tune</c>: train the head on a frozen body for <paramref name="headEpochs"/> epoch(s) at the options'
    /// rate; then unfreeze everything and train for the rest of the budget at <paramref name="unfrozenLrFactor"/> times that
    /// rate, with discriminative rates from x<paramref name="backboneLrMultiplier"/> (stem) up to the full rate (layer4, head).
    /// fastai's defaults: one head epoch, <c>lr_mult=100</c> (0.01), and the rate halved (0.5).
    /// </summary>
    public static TrainResult FineTune(RecipeInput input, int headEpochs = 1, double backboneLrMultiplier = 0.01, double unfrozenLrFactor = 0.5,
        CancellationToken cancellation = default)
    {
        var budget = input.Options.Epochs;
        headEpochs = Math.Clamp(headEpochs, 0, Math.Max(0, budget - 1));
        using var live = LiveTraining.Open(input.Options.Observer, "fine-tuning: head, then everything");
        var observer = live.Observer.ForCurve("fine-tune", budget);
        var history = new List<EpochRecord>();
        if (headEpochs > 0)
        {
            Freezing.FreezeUpTo(input.Model, "layer4", input.BatchNorm);
            var head = Fit(input, input.Options with { Epochs = headEpochs, Phase = "head", Observer = observer }, cancellation);
            history.AddRange(head.History);
            if (head.Cancelled) return head;
        }
        Freezing.Unfreeze(input.Model);
        var unfrozen = Fit(input, input.Options with
        {
            Epochs = budget - headEpochs,
            Phase = "unfrozen",
            Seed = input.Options.Seed + SeedSalts.UnfrozenPhase,
            Observer = observer,
            Optimizer = input.Options.Optimizer with
            {
                LearningRate = input.Options.Optimizer.LearningRate * unfrozenLrFactor,
                BackboneLrMultiplier = backboneLrMultiplier,
                Discriminative = true,
            },
        }, cancellation);
        history.AddRange(unfrozen.History.Select(r => r with { Epoch = r.Epoch + headEpochs }));
        if (!unfrozen.Cancelled) live.Complete();
        var best = history.Where(h => !double.IsNaN(h.ValidationAccuracy)).DefaultIfEmpty().MaxBy(h => h?.ValidationAccuracy ?? double.MinValue);
        return unfrozen with { History = history, BestValidationAccuracy = best?.ValidationAccuracy ?? double.NaN, BestEpoch = best?.Epoch ?? 0 };
    }

    /// <summary>Everything trains from the pretrained weights, the body at <paramref name="backboneLrMultiplier"/> times the head's rate.</summary>
    public static TrainResult FullFineTune(RecipeInput input, double backboneLrMultiplier = 0.1, CancellationToken cancellation = default)
    {
        Freezing.Unfreeze(input.Model);
        return Fit(input, input.Options with { Optimizer = input.Options.Optimizer with { BackboneLrMultiplier = backboneLrMultiplier } }, cancellation);
    }

    /// <summary>Freezes the first <paramref name="frozenStages"/> stages (stem = 1) and fine-tunes the rest, the body at <paramref name="backboneLrMultiplier"/>.</summary>
    public static TrainResult PartialFineTune(RecipeInput input, int frozenStages, double backboneLrMultiplier = 0.1, CancellationToken cancellation = default)
    {
        Freezing.FreezeFirst(input.Model, frozenStages, input.BatchNorm);
        return Fit(input, input.Options with { Optimizer = input.Options.Optimizer with { BackboneLrMultiplier = backboneLrMultiplier } }, cancellation);
    }

    static TrainResult Fit(RecipeInput input, TrainOptions options, CancellationToken cancellation) =>
        new Trainer(input.Model, input.Train, input.Validation, options).Fit(cancellation);
}
