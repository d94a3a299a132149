using NotebookKit.Models;
using NotebookKit.Training;

namespace NotebookKit.Experiments;

/// <summary>
/// Everything that defines a training run, so a published protocol can be reproduced exactly.
/// The same settings are applied to every strategy of a comparison. Every default is stated here.
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
    public int Epochs { get; init; } = 3;
    /// <summary>Input side length. Default 64.</summary>
    public int ImageSize { get; init; } = 64;
    /// <summary>Batch size. Default 32.</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>Optimizer. Default SGD (momentum 0.9).</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;
    /// <summary>Peak learning rate of the head. Default 0.01.</summary>
    public double LearningRate { get; init; } = 0.01;
    /// <summary>
    /// Backbone learning rate as a fraction of the head's, for the strategies that have one (finetune, full, partial:N).
    /// Default null: each strategy's own default (finetune 0.01 at the stem, full and partial 0.1; see <see cref="Strategy"/>).
    /// </summary>
    public double? BackboneLrMultiplier { get; init; }
    /// <summary>Schedule. Default one-cycle.</summary>
    public ScheduleKind Schedule { get; init; } = ScheduleKind.OneCycle;
    /// <summary>Augment training images (RandomResizedCrop + flip). Default false (then frozen features are cached).</summary>
    public bool Augment { get; init; }
    /// <summary>Seed for the split, the order, augmentation and new heads. Default 0.</summary>
    public int Seed { get; init; }
    /// <summary>Validation fraction when the dataset has no validation split. Default 0.2.</summary>
    public double ValidationFraction { get; init; } = 0.2;
    /// <summary>Use at most this many training images per class (workshops, smoke runs). Default: all.</summary>
    public int? TrainPerClass { get; init; }
    /// <summary>Use at most this many validation images per class. Default: all.</summary>
    public int? ValidationPerClass { get; init; }
    /// <summary>Decoding threads. Default: the number of cores.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;
    /// <summary>BatchNorm policy of frozen stages. Default: frozen statistics.</summary>
    public BatchNormPolicy BatchNorm { get; init; } = BatchNormPolicy.FrozenStatistics;
    /// <summary>Gradient-norm clipping. Default none.</summary>
    public double? ClipGradNorm { get; init; }
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

    /// <summary>The optimizer options these settings give (every layer at <see cref="LearningRate"/>; strategies set their backbone rate).</summary>
    public OptimizerOptions OptimizerOptions => new() { Kind = Optimizer, LearningRate = LearningRate };
}
