using NotebookKit.Models;
using NotebookKit.Training;

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
    /// <summary>What loading the pretrained weights did (all keys, or a partial load allowed by <see cref="TrainSettings.AllowPartialWeights"/>).</summary>
    public LoadReport? WeightsReport { get; init; }

    /// <summary>Files of the training or validation set that could not be decoded and were left out (every strategy skips the same ones).</summary>
    public IReadOnlyList<Data.DataProblem> SkippedFiles { get; init; } = [];

    /// <summary>Whether the frozen body's features were computed once and the head trained on them (<see cref="Training.FeatureCache"/>).</summary>
    public bool UsedFeatureCache { get; init; }

    /// <summary>Training images per second end to end (feature caching and validation included): what the strategy costs.</summary>
    public double ImagesPerSecond => Seconds <= 0 ? 0 : (double)TrainImages * Result.History.Count / Seconds;
}
