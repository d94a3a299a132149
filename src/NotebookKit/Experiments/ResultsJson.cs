using NotebookKit.Training;

namespace NotebookKit.Experiments;

/// <summary>The one JSON shape of training results (snake_case), shared by <c>nbkit train</c>, <c>nbkit compare</c> and the reports.</summary>
public static class ResultsJson
{
    /// <summary>One epoch record.</summary>
    public static object Epoch(EpochRecord h) => new
    {
        epoch = h.Epoch, phase = h.Phase, train_loss = h.TrainLoss, train_acc = h.TrainAccuracy, val_loss = h.ValidationLoss, val_acc = h.ValidationAccuracy,
        lr = h.LearningRate, seconds = h.Seconds, images_per_second = h.ImagesPerSecond, rss_mb = h.RssMegabytes, live_tensors = h.LiveTensors,
    };
}
