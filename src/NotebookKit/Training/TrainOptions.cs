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

    /// <summary>
    /// Epochs of earlier phases on the same curve (fine-tuning's head phase before its unfrozen phase): this fit's epochs
    /// are numbered on from them, and its best is compared with theirs. Default 0.
    /// </summary>
    public int EpochOffset { get; init; }

    /// <summary>The earlier phases' epochs (numbered 1..<see cref="EpochOffset"/>), kept in this fit's history and checkpoints. Default none.</summary>
    public IReadOnlyList<EpochRecord> EarlierHistory { get; init; } = [];

    /// <summary>
    /// Read the loss after every step, refusing a non-finite loss before it reaches the weights. Default (null): yes on the
    /// CPU, where it costs nothing; no on a GPU, where the loss and accuracy add up on the device and are read at progress
    /// ticks (every 0.5 s) and at the end of each epoch, so the GPU never waits for the trainer.
    /// </summary>
    public bool? CheckLossEveryStep { get; init; }

    /// <summary>Label for the records (e.g. "head" and "unfrozen" for the two phases of fine-tuning). Default "train".</summary>
    public string Phase { get; init; } = "train";

    /// <summary>Top-k accuracy reported by evaluation. Default 5.</summary>
    public int TopK { get; init; } = 5;

    /// <summary>The device the model is moved to; batches follow the model. Default <see cref="Runtime.TorchRuntime.Device"/> (CUDA when present, else CPU).</summary>
    public torch.Device? Device { get; init; }

    /// <summary>
    /// Who hears the fit's progress (a <see cref="TrainingMonitor"/>, the CLI's progress bars, <see cref="TrainingObserver.None"/>).
    /// Default: the live display set at the edge (<see cref="LiveTraining.DefaultView"/>: notebooks, apps), else nothing.
    /// </summary>
    public ITrainingObserver? Observer { get; init; }
}
