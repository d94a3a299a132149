namespace NotebookKit.Training;

/// <summary>What a checkpoint records besides the weights.</summary>
/// <param name="Epoch">Epochs of this phase done.</param>
/// <param name="Step">Optimiser steps of this phase taken (the schedule's clock).</param>
/// <param name="History">Every epoch of the curve so far, earlier phases included, numbered along the curve.</param>
/// <param name="BestValidationAccuracy">The best validation accuracy so far, across phases.</param>
/// <param name="BestEpoch">Its epoch, along the curve.</param>
public sealed record CheckpointState(int Epoch, long Step, IReadOnlyList<EpochRecord> History, double BestValidationAccuracy, int BestEpoch)
{
    /// <summary>The phase that wrote it (<see cref="TrainOptions.Phase"/>): a two-phase recipe resumes in the right phase.</summary>
    public string Phase { get; init; } = "train";

    /// <summary>Epochs of earlier phases on the same curve (<see cref="TrainOptions.EpochOffset"/>).</summary>
    public int EpochOffset { get; init; }

    /// <summary>The settings the run was started with; a resume with other settings is refused.</summary>
    public CheckpointSettings? Settings { get; init; }
}

/// <summary>The training settings a checkpoint must be resumed with (the number of epochs may grow).</summary>
public sealed record CheckpointSettings(string Optimizer, double LearningRate, double BackboneLrMultiplier, bool Discriminative, double WeightDecay,
    double Momentum, string Schedule, int Seed, double? ClipGradNorm)
{
    /// <summary>The settings of <paramref name="options"/>.</summary>
    public static CheckpointSettings Of(TrainOptions options) => new(options.Optimizer.Kind.ToString().ToLowerInvariant(), options.Optimizer.LearningRate,
        options.Optimizer.BackboneLrMultiplier, options.Optimizer.Discriminative, options.Optimizer.WeightDecay, options.Optimizer.Momentum,
        options.Schedule.ToString(), options.Seed, options.ClipGradNorm);
}
