using System.Globalization;

namespace NotebookKit.Training;

/// <summary>
/// One epoch of training, the single source for progress bars, charts, early stopping and reports
/// (ML.NET's TrainMetrics). Validation fields are NaN when there is no validation set.
/// </summary>
public sealed record EpochRecord(
    int Epoch, string Phase, double TrainLoss, double TrainAccuracy, double ValidationLoss, double ValidationAccuracy,
    double LearningRate, double Seconds, double ImagesPerSecond, double RssMegabytes, long LiveTensors)
{
    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"epoch {Epoch} ({Phase}): train loss {TrainLoss:F4} acc {TrainAccuracy:P1} | val loss {ValidationLoss:F4} acc {ValidationAccuracy:P1} | lr {LearningRate:G3} | {Seconds:F1} s, {ImagesPerSecond:F0} img/s, {RssMegabytes:F0} MB, {LiveTensors} tensors");
}

/// <summary>A batch finished (for live progress within an epoch).</summary>
/// <param name="Epoch">The epoch (1-based).</param>
/// <param name="Batch">Batches done in this epoch (1-based).</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="Loss">The running mean training loss of this epoch.</param>
/// <param name="BatchSize">Images in the batch that just ended.</param>
public readonly record struct BatchProgress(int Epoch, int Batch, int Batches, double Loss, int BatchSize = 0);
