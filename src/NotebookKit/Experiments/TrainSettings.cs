using NotebookKit.Models;
using NotebookKit.Training;

namespace NotebookKit.Experiments;

/// <summary>
/// Everything that defines a training run, so a published protocol can be reproduced exactly.
/// The same settings are applied to every strategy of a comparison. Every default is stated here; every number is
/// checked against its range in <see cref="Ranges"/> when it is set (an <see cref="ArgumentOutOfRangeException"/> that
/// names the setting, the value and the range), and <see cref="Validate"/> checks what depends on two of them.
/// </summary>
public sealed record TrainSettings
{
    /// <summary>Dataset path or name (null: the embedded Fashion-MNIST subset).</summary>
    public string? Data { get; init; }
    /// <summary>Architecture. Default resnet18.</summary>
    public string Arch { get; init; } = "resnet18";
    /// <summary>Pretrained weights. Default mlnet-imagenet (offline ImageNet weights).</summary>
    public string Weights { get; init; } = "mlnet-imagenet";
    /// <summary>Epochs per strategy. Default 3.</summary>
    public int Epochs { get; init => field = Ranges.Epochs.Check(value, Name(nameof(Epochs))); } = 3;
    /// <summary>Input side length. Default 64.</summary>
    public int ImageSize { get; init => field = Ranges.ImageSize.Check(value, Name(nameof(ImageSize))); } = 64;
    /// <summary>Batch size. Default 32.</summary>
    public int BatchSize { get; init => field = Ranges.BatchSize.Check(value, Name(nameof(BatchSize))); } = 32;
    /// <summary>Optimizer. Default SGD (momentum 0.9).</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;
    /// <summary>Peak learning rate of the head. Default 0.01.</summary>
    public double LearningRate { get; init => field = Ranges.LearningRate.Check(value, Name(nameof(LearningRate))); } = 0.01;
    /// <summary>
    /// Backbone learning rate as a fraction of the head's, for the strategies that have one (finetune, full, partial:N).
    /// Default null: each strategy's own default (finetune 0.01 at the stem, full and partial 0.1; see <see cref="Strategy"/>).
    /// </summary>
    public double? BackboneLrMultiplier { get; init => field = value is { } v ? Ranges.BackboneLrMultiplier.Check(v, Name(nameof(BackboneLrMultiplier))) : null; }
    /// <summary>Schedule. Default one-cycle.</summary>
    public ScheduleKind Schedule { get; init; } = ScheduleKind.OneCycle;
    /// <summary>Augment training images (RandomResizedCrop + flip). Default false (then frozen features are cached).</summary>
    public bool Augment { get; init; }
    /// <summary>Seed for the split, the order, augmentation and new heads. Default 0.</summary>
    public int Seed { get; init; }
    /// <summary>Validation fraction when the dataset has no validation split. Default 0.2.</summary>
    public double ValidationFraction { get; init => field = Ranges.ValidationFraction.Check(value, Name(nameof(ValidationFraction))); } = 0.2;
    /// <summary>Use at most this many training images per class (workshops, smoke runs). Default: all.</summary>
    public int? TrainPerClass { get; init => field = value is { } v ? Ranges.PerClass.Check(v, Name(nameof(TrainPerClass))) : null; }
    /// <summary>Use at most this many validation images per class. Default: all.</summary>
    public int? ValidationPerClass { get; init => field = value is { } v ? Ranges.PerClass.Check(v, Name(nameof(ValidationPerClass))) : null; }
    /// <summary>Decoding threads. Default: the number of cores.</summary>
    public int Workers { get; init => field = Ranges.Workers.Check(value, Name(nameof(Workers))); } = Environment.ProcessorCount;
    /// <summary>BatchNorm policy of frozen stages. Default: frozen statistics.</summary>
    public BatchNormPolicy BatchNorm { get; init; } = BatchNormPolicy.FrozenStatistics;
    /// <summary>Gradient-norm clipping. Default none.</summary>
    public double? ClipGradNorm { get; init => field = value is { } v ? Ranges.ClipGradNorm.Check(v, Name(nameof(ClipGradNorm))) : null; }
    /// <summary>
    /// Load only the keys of <see cref="Weights"/> that fit the architecture (surgery experiments); the run's results
    /// say so. Default false: weights that do not fit are refused.
    /// </summary>
    public bool AllowPartialWeights { get; init; }

    /// <summary>
    /// The architecture every strategy uses: the one the named weights fit (mlnet-imagenet needs the [2,2,2,3]
    /// variant), so that scratch and the pretrained strategies compare like for like.
    /// </summary>
    public string ResolvedArchitecture => File.Exists(Weights) || Weights is "random" or "none" or "scratch"
        ? Arch
        : Models.Weights.WeightsRegistry.Find(Arch, Weights).Architecture;

    /// <summary>
    /// Checks what no one setting can check alone: that one input batch (<see cref="BatchSize"/> images of side
    /// <see cref="ImageSize"/>) fits in <see cref="Ranges.MaxInputBatchBytes"/>. Returns these settings.
    /// </summary>
    /// <exception cref="ArgumentException">The batch would not fit; the message says which settings to lower.</exception>
    public TrainSettings Validate() =>
        Ranges.InputBatch(BatchSize, ImageSize, Name(nameof(BatchSize)), Name(nameof(ImageSize))) is { } refusal ? throw new ArgumentException(refusal) : this;

    static string Name(string property) => $"{nameof(TrainSettings)}.{property}";

    /// <summary>The optimizer options these settings give (every layer at <see cref="LearningRate"/>; strategies set their backbone rate).</summary>
    public OptimizerOptions OptimizerOptions => new() { Kind = Optimizer, LearningRate = LearningRate };
}
