using TorchSharp;

namespace NotebookKit.Training;

/// <summary>How <see cref="Trainer.Fit"/> runs. Every default is stated here.</summary>
public sealed record TrainOptions
{
    /// <summary>Epochs. Default 3.</summary>
    public int Epochs { get; init; } = 3;

    /// <summary>Optimizer and per-stage learning rates. Default: <see cref="OptimizerOptions"/>' defaults.</summary>
    public OptimizerOptions Optimizer { get; init; } = new();

    /// <summary>Learning-rate schedule over all steps. Default one-cycle.</summary>
    public ScheduleKind Schedule { get; init; } = ScheduleKind.OneCycle;

    /// <summary>Clip the gradient norm to this value. Default: no clipping.</summary>
    public double? ClipGradNorm { get; init; }

    /// <summary>Stop when validation accuracy has not improved for this many epochs. Default: never.</summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>Put the best epoch's weights back at the end (Keras's restore_best_weights). Default false.</summary>
    public bool RestoreBest { get; init; }

    /// <summary>Folder for checkpoints (last.* after every epoch, best.safetensors). Default: none written.</summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>Resume from this checkpoint folder (written by an earlier run with <see cref="CheckpointDirectory"/>). Default: start fresh.</summary>
    public string? ResumeFrom { get; init; }

    /// <summary>Seed for torch's RNG (dropout, new heads), re-applied each epoch so a resumed run repeats exactly. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Label for the records (e.g. "head" and "unfrozen" for the two phases of fine-tuning). Default "train".</summary>
    public string Phase { get; init; } = "train";

    /// <summary>Top-k accuracy reported by evaluation. Default 5.</summary>
    public int TopK { get; init; } = 5;

    /// <summary>The device; default <see cref="Runtime.TorchRuntime.Device"/> (CUDA when present, else CPU).</summary>
    public torch.Device? Device { get; init; }
}

/// <summary>The outcome of <see cref="Trainer.Fit"/>.</summary>
/// <param name="History">One record per epoch run.</param>
/// <param name="BestValidationAccuracy">The best validation accuracy seen (NaN without validation).</param>
/// <param name="BestEpoch">The epoch it was seen at.</param>
/// <param name="Checkpoint">The folder holding the last checkpoint, when checkpoints are written.</param>
/// <param name="StoppedEarly">Early stopping ended the run.</param>
/// <param name="Cancelled">Cancellation ended the run (the last completed epoch's checkpoint is intact).</param>
public sealed record TrainResult(IReadOnlyList<EpochRecord> History, double BestValidationAccuracy, int BestEpoch, string? Checkpoint, bool StoppedEarly, bool Cancelled)
{
    /// <summary>The last epoch's validation accuracy.</summary>
    public double FinalValidationAccuracy => History.Count == 0 ? double.NaN : History[^1].ValidationAccuracy;
}

/// <summary>The loss became NaN or infinite; the message says when and what to try.</summary>
public sealed class TrainingDivergedException(int epoch, int batch, double learningRate, double loss)
    : Exception($"Training diverged: loss {loss} at epoch {epoch}, batch {batch}, learning rate {learningRate:G3}. Lower the learning rate (e.g. x0.1), add --clip-grad-norm 1, or check the inputs are normalized.")
{
    /// <summary>The epoch it happened in.</summary>
    public int Epoch { get; } = epoch;
}
