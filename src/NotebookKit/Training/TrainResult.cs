namespace NotebookKit.Training;

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
