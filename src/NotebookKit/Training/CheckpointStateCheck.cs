using System.Globalization;

namespace NotebookKit.Training;

/// <summary>
/// What a checkpoint's state.json can possibly hold, field by field: a damaged or hand-edited value (a negative epoch, a
/// NaN accuracy, a step clock behind its epochs, a curve out of order) is named instead of being resumed from.
/// </summary>
static class CheckpointStateCheck
{
    /// <summary>The first impossible field of <paramref name="state"/> (JSON path, value, what is possible), or null when it is sound.</summary>
    public static string? Problem(CheckpointState state)
    {
        if (string.IsNullOrWhiteSpace(state.Phase) || state.Phase.Length > 100 || state.Phase.Any(char.IsControl))
            return $"phase is '{state.Phase}', expected the name of the phase that wrote it (train, head, unfrozen, or a strategy's name)";
        if (state.Epoch < 1) return $"epoch is {state.Epoch}, expected 1 or more (a checkpoint is written at the end of an epoch)";
        if (state.EpochOffset < 0) return $"epoch_offset is {state.EpochOffset}, expected 0 or more";
        if (state.Step < state.Epoch) return $"step is {state.Step}, expected at least the {state.Epoch} epoch(s) done (one optimiser step or more per epoch)";
        if (state.History is null) return "history is missing, expected the curve's epochs";
        int last = state.EpochOffset + state.Epoch;
        if (state.History.Count == 0 || state.History.Count > last)
            return $"history holds {state.History.Count} epoch(s), expected 1 to {last} (epoch_offset + epoch)";
        int previous = 0;
        for (int i = 0; i < state.History.Count; i++)
        {
            if (state.History[i] is not { } record) return $"history[{i}] is missing";
            if (record.Epoch <= previous || record.Epoch > last)
                return $"history[{i}].epoch is {record.Epoch}; the curve's epochs must increase from 1 to {last} (epoch_offset + epoch), and the one before it is {previous}";
            previous = record.Epoch;
            if (RecordProblem(record) is { } problem) return $"history[{i}].{problem}";
        }
        if (previous != last) return $"history ends at epoch {previous}, expected {last} (the epoch the checkpoint was written at)";
        if (double.IsNaN(state.BestValidationAccuracy) ? state.BestEpoch != 0 : !InUnit(state.BestValidationAccuracy))
            return $"best_validation_accuracy is {Text(state.BestValidationAccuracy)} with best_epoch {state.BestEpoch}, expected 0 to 1 (or NaN with best_epoch 0 when there is no validation)";
        if (!double.IsNaN(state.BestValidationAccuracy) && (state.BestEpoch < 1 || state.BestEpoch > last))
            return $"best_epoch is {state.BestEpoch}, expected 1 to {last}";
        return state.Settings is { } settings ? SettingsProblem(settings) : null;
    }

    static string? RecordProblem(EpochRecord r)
    {
        if (string.IsNullOrWhiteSpace(r.Phase)) return "phase is empty";
        if (!double.IsFinite(r.TrainLoss) || r.TrainLoss < 0) return $"train_loss is {Text(r.TrainLoss)}, expected a finite number of 0 or more";
        if (!InUnit(r.TrainAccuracy)) return $"train_accuracy is {Text(r.TrainAccuracy)}, expected 0 to 1";
        if (!double.IsNaN(r.ValidationLoss) && (!double.IsFinite(r.ValidationLoss) || r.ValidationLoss < 0))
            return $"validation_loss is {Text(r.ValidationLoss)}, expected a finite number of 0 or more (NaN without validation)";
        if (!double.IsNaN(r.ValidationAccuracy) && !InUnit(r.ValidationAccuracy))
            return $"validation_accuracy is {Text(r.ValidationAccuracy)}, expected 0 to 1 (NaN without validation)";
        if (!double.IsFinite(r.LearningRate) || r.LearningRate < 0) return $"learning_rate is {Text(r.LearningRate)}, expected a finite number of 0 or more";
        if (!(r.Seconds >= 0)) return $"seconds is {Text(r.Seconds)}, expected 0 or more";
        if (!(r.ImagesPerSecond >= 0)) return $"images_per_second is {Text(r.ImagesPerSecond)}, expected 0 or more";
        if (!(r.RssMegabytes >= 0)) return $"rss_megabytes is {Text(r.RssMegabytes)}, expected 0 or more";
        if (r.LiveTensors < 0) return $"live_tensors is {r.LiveTensors}, expected 0 or more";
        return null;
    }

    static string? SettingsProblem(CheckpointSettings s)
    {
        if (string.IsNullOrWhiteSpace(s.Optimizer)) return "settings.optimizer is empty";
        if (string.IsNullOrWhiteSpace(s.Schedule)) return "settings.schedule is empty";
        if (!double.IsFinite(s.LearningRate) || s.LearningRate <= 0) return $"settings.learning_rate is {Text(s.LearningRate)}, expected a finite number above 0";
        if (!double.IsFinite(s.BackboneLrMultiplier) || s.BackboneLrMultiplier < 0) return $"settings.backbone_lr_multiplier is {Text(s.BackboneLrMultiplier)}, expected a finite number of 0 or more";
        if (!double.IsFinite(s.WeightDecay) || s.WeightDecay < 0) return $"settings.weight_decay is {Text(s.WeightDecay)}, expected a finite number of 0 or more";
        if (!double.IsFinite(s.Momentum) || s.Momentum < 0) return $"settings.momentum is {Text(s.Momentum)}, expected a finite number of 0 or more";
        if (s.ClipGradNorm is { } clip && (!double.IsFinite(clip) || clip <= 0)) return $"settings.clip_grad_norm is {Text(clip)}, expected a finite number above 0 (or null)";
        return null;
    }

    static bool InUnit(double value) => value is >= 0 and <= 1;

    static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
