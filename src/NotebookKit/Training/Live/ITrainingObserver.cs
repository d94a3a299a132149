namespace NotebookKit.Training;

/// <summary>A fit starts: what it trains and how long.</summary>
/// <param name="Curve">The model (curve) it trains; the phases of one model share a curve (e.g. "finetune seed 1").</param>
/// <param name="Phase">The fit's phase (<see cref="TrainOptions.Phase"/>).</param>
/// <param name="Epochs">Epochs of this fit (resumed epochs included).</param>
/// <param name="BatchesPerEpoch">Batches per epoch.</param>
/// <param name="Earlier">Epochs already on the curve (earlier phases, or a resumed fit's), numbered along the curve, shown before the new ones.</param>
/// <param name="CurveEpochs">The whole curve's budget when known (a two-phase recipe shows "epoch 1/3" from its first phase).</param>
public sealed record FitStart(string Curve, string Phase, int Epochs, int BatchesPerEpoch, IReadOnlyList<EpochRecord> Earlier, int? CurveEpochs = null)
{
    /// <summary>Epochs of earlier phases on the curve: this fit's epochs and records are numbered from <c>EpochOffset + 1</c> (<see cref="TrainOptions.EpochOffset"/>).</summary>
    public int EpochOffset { get; init; }
}

/// <summary>
/// Hears what training does: a <see cref="Trainer"/> tells its observer (<see cref="TrainOptions.Observer"/>) when a fit
/// starts, after each batch and epoch, and when it ends or fails; recipes and experiments pass one observer to all their
/// fits and report work between fits through <see cref="Activity"/>. <see cref="TrainingMonitor"/> is the observer behind
/// the live displays; the CLI's progress bars are one too. Every member does nothing by default.
/// </summary>
public interface ITrainingObserver
{
    /// <summary>A fit starts.</summary>
    void FitStarted(FitStart fit) { }

    /// <summary>A batch ended.</summary>
    void BatchEnded(BatchProgress progress) { }

    /// <summary>An epoch ended (validation included).</summary>
    void EpochEnded(EpochRecord record) { }

    /// <summary>The fit ended normally, early-stopped or cancelled.</summary>
    void FitEnded(TrainResult result) { }

    /// <summary>The fit failed with <paramref name="error"/> (it is rethrown after this).</summary>
    void FitFailed(Exception error) { }

    /// <summary>Work between fits, e.g. "computing features: 320/1500 images", on <paramref name="curve"/> when known.</summary>
    void Activity(string activity, string? curve = null) { }
}

/// <summary>Observers: <see cref="None"/>, and <see cref="ForCurve"/> to name the curve a group of fits draws on.</summary>
public static class TrainingObserver
{
    /// <summary>Hears nothing: pass it to train without any live output (also when a default display is set).</summary>
    public static ITrainingObserver None { get; } = new Silent();

    /// <summary>
    /// The fits reported through the result draw on the curve <paramref name="label"/> (an outer name wins over an inner
    /// one, so a recipe's phases stay on the caller's curve); <paramref name="epochs"/> is the curve's whole budget.
    /// </summary>
    public static ITrainingObserver ForCurve(this ITrainingObserver observer, string label, int? epochs = null) => new Curve(observer, label, epochs);

    sealed class Silent : ITrainingObserver;

    sealed class Curve(ITrainingObserver inner, string label, int? epochs) : ITrainingObserver
    {
        public void FitStarted(FitStart fit) => inner.FitStarted(fit with { Curve = label, CurveEpochs = epochs ?? fit.CurveEpochs });
        public void BatchEnded(BatchProgress progress) => inner.BatchEnded(progress);
        public void EpochEnded(EpochRecord record) => inner.EpochEnded(record);
        public void FitEnded(TrainResult result) => inner.FitEnded(result);
        public void FitFailed(Exception error) => inner.FitFailed(error);
        public void Activity(string activity, string? curve = null) => inner.Activity(activity, label);
    }
}
