using NotebookKit.Data;
using NotebookKit.Models;

namespace NotebookKit.Training;

/// <summary>
/// The strategies compared by the kit, each a few readable lines over freezing, optimisation and the trainer.
/// Every recipe runs <see cref="TrainOptions.Epochs"/> epochs in all; each knob is a parameter with its default stated.
/// </summary>
public static class TrainingRecipes
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
    /// fastai's defaults: one head epoch, <c>lr_mult=100</c> (0.01), and the rate halved (0.5). The two phases draw one curve,
    /// share one notion of "best" (and one <c>best.safetensors</c>), and resume from a checkpoint of either phase.
    /// </summary>
    public static TrainResult FineTune(RecipeInput input, int headEpochs = 1, double backboneLrMultiplier = 0.01, double unfrozenLrFactor = 0.5,
        CancellationToken cancellation = default)
    {
        var budget = input.Options.Epochs;
        headEpochs = Math.Clamp(headEpochs, 0, Math.Max(0, budget - 1));
        var resume = input.Options.ResumeFrom is { } from ? Checkpoints.Peek(from) : null;
        using var live = LiveTraining.Open(input.Options.Observer, "fine-tuning: head, then everything");
        var observer = live.Observer.ForCurve("fine-tune", budget);
        IReadOnlyList<EpochRecord> head = [];
        if (headEpochs > 0 && resume?.Phase != "unfrozen")
        {
            Freezing.FreezeUpTo(input.Model, "layer4", input.BatchNorm);
            var result = Fit(input, input.Options with { Epochs = headEpochs, Phase = "head", Observer = observer }, cancellation);
            if (result.Cancelled) return result;
            head = result.History;
        }
        Freezing.Unfreeze(input.Model);
        var unfrozen = Fit(input, input.Options with
        {
            Epochs = budget - headEpochs,
            Phase = "unfrozen",
            Seed = input.Options.Seed + SeedSalts.UnfrozenPhase,
            Observer = observer,
            EpochOffset = headEpochs,
            EarlierHistory = head,
            // A checkpoint of the head phase has been resumed above; the unfrozen phase starts afresh after it.
            ResumeFrom = resume?.Phase == "unfrozen" ? input.Options.ResumeFrom : null,
            Optimizer = input.Options.Optimizer with
            {
                LearningRate = input.Options.Optimizer.LearningRate * unfrozenLrFactor,
                BackboneLrMultiplier = backboneLrMultiplier,
                Discriminative = true,
            },
        }, cancellation);
        if (!unfrozen.Cancelled) live.Complete();
        return unfrozen;
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
