using NotebookKit.Experiments;
using NotebookKit.Training;

namespace NotebookKit.Reports;

/// <summary>The JSON shapes of training results (snake_case), shared by <c>nbkit train</c>, <c>nbkit compare</c>, the reports and the notebooks.</summary>
public static class ResultsJson
{
    /// <summary>One epoch record.</summary>
    public static object Epoch(EpochRecord h) => new
    {
        epoch = h.Epoch, phase = h.Phase, train_loss = h.TrainLoss, train_acc = h.TrainAccuracy, val_loss = h.ValidationLoss, val_acc = h.ValidationAccuracy,
        lr = h.LearningRate, seconds = h.Seconds, images_per_second = h.ImagesPerSecond, rss_mb = h.RssMegabytes, live_tensors = h.LiveTensors,
    };

    /// <summary>One strategy trained with one seed (what <c>nbkit train</c> writes and prints).</summary>
    public static object Run(StrategyRun run) => new
    {
        strategy = run.Strategy.Name,
        description = run.Strategy.Description,
        seed = run.Seed,
        epochs = run.Result.History.Select(Epoch),
        best_val_acc = run.Result.BestValidationAccuracy,
        val_acc = run.Evaluation.Accuracy,
        top_k_acc = run.Evaluation.TopKAccuracy,
        macro_f1 = run.Evaluation.MacroF1,
        trainable_params = run.TrainableParameters,
        seconds = run.Seconds,
        checkpoint = run.Result.Checkpoint,
        stopped = run.Result.Cancelled,
        partial_weights = PartialWeights(run.WeightsReport),
    };

    /// <summary>A partial weights load (allowed on purpose) as counts and a note; null for a complete one.</summary>
    public static object? PartialWeights(Models.LoadReport? report) => report is not { Complete: false } ? null : new
    {
        loaded = report.Loaded.Count,
        missing = report.MissingThatMatter.Count,
        mis_shaped = report.Mismatched.Count,
        unexpected = report.UnexpectedThatMatter.Count,
        note = report.PartialNote,
        detail = report.ToString(),
    };
}
