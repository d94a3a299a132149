using System.Diagnostics;
using System.Globalization;

namespace NotebookKit.Training;

/// <summary>Where a monitored run stands.</summary>
public enum MonitorState
{
    /// <summary>Training.</summary>
    Running,

    /// <summary>Ended normally (early stopping included).</summary>
    Done,

    /// <summary>Cancelled or interrupted; the epochs shown are complete.</summary>
    Stopped,

    /// <summary>An error ended it (the message says which).</summary>
    Failed,
}

/// <summary>The current fit's progress, as a progress line shows it.</summary>
/// <param name="Curve">The curve being trained.</param>
/// <param name="Phase">The fit's phase (<see cref="TrainOptions.Phase"/>).</param>
/// <param name="Epoch">The epoch in progress, numbered along the curve.</param>
/// <param name="Epochs">The curve's last planned epoch.</param>
/// <param name="Batch">Batches done in this epoch.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="Loss">The running mean training loss of this epoch (NaN before the first batch).</param>
/// <param name="ImagesPerSecond">Training throughput of this fit so far (0 before the first batch).</param>
/// <param name="Progress">Fraction of this fit's batches done, 0..1.</param>
/// <param name="Elapsed">Time since this fit started.</param>
/// <param name="Remaining">Estimated time left in this fit (null until a batch is done).</param>
public sealed record TrainingStatus(string Curve, string Phase, int Epoch, int Epochs, int Batch, int Batches, double Loss,
    double ImagesPerSecond, double Progress, TimeSpan Elapsed, TimeSpan? Remaining);

/// <summary>
/// Follows one or more <see cref="Trainer.Fit"/> calls (a single fit, the two phases of fine-tuning, every run of a
/// comparison) and asks its <see cref="ITrainingView"/> to redraw: after every epoch, at the end, and between batches
/// at most once per <see cref="MinInterval"/>, so a notebook shows one output updated in place rather than a new
/// output per batch. A failing view is switched off (<see cref="ViewError"/>); it never stops training.
/// Pass it (or <c>monitor.ForCurve("name")</c>) as <see cref="TrainOptions.Observer"/>; whoever made it calls
/// <see cref="Finish"/> when the whole run ends (a failing fit finishes it as failed).
/// </summary>
public sealed class TrainingMonitor : ITrainingObserver
{
    /// <summary>Charts keep at most this many running-loss points per curve (older ones are thinned).</summary>
    public const int MaxPointsPerCurve = 1000;

    readonly ITrainingView view;
    readonly Stopwatch total = Stopwatch.StartNew(), fit = new(), sinceUpdate = new();
    readonly List<TrainingCurve> curves = [];
    TrainingCurve? current;
    string phase = "";
    int plannedEpochs, batchesPerEpoch;
    long fitBatches, fitBatchesDone, fitImages;

    /// <summary>A monitor drawing into <paramref name="view"/>.</summary>
    public TrainingMonitor(ITrainingView view, string title = "training", TimeSpan? minInterval = null)
    {
        this.view = view;
        Title = title;
        MinInterval = minInterval ?? TimeSpan.FromMilliseconds(500);
    }

    /// <summary>What is being trained (shown as the heading).</summary>
    public string Title { get; }

    /// <summary>Shortest time between two batch-driven redraws. Default 0.5 s.</summary>
    public TimeSpan MinInterval { get; }

    /// <summary>One curve per model trained (in order of appearance).</summary>
    public IReadOnlyList<TrainingCurve> Curves => curves;

    /// <summary>The current fit's progress (null before the first fit).</summary>
    public TrainingStatus? Status { get; private set; }

    /// <summary>Running, done, stopped or failed.</summary>
    public MonitorState State { get; private set; }

    /// <summary>The closing line: the outcome, or the error that ended the run.</summary>
    public string? Message { get; private set; }

    /// <summary>What happens between fits (see <see cref="Report"/>); null while a fit runs.</summary>
    public string? Activity { get; private set; }

    /// <summary>Shows <paramref name="activity"/> until the next fit starts (redrawn at most once per <see cref="MinInterval"/>).</summary>
    public void Report(string activity)
    {
        Activity = activity;
        Notify(MonitorUpdate.Batch, force: false);
    }

    /// <summary>Time since the monitor was created.</summary>
    public TimeSpan Elapsed => total.Elapsed;

    /// <summary>How many times the view was asked to redraw.</summary>
    public int Updates { get; private set; }

    /// <summary>The view's exception, if it threw (the view is not called again).</summary>
    public Exception? ViewError { get; private set; }

    /// <summary>
    /// A fit of <paramref name="epochs"/> starts on <paramref name="curve"/> (continuing it when it exists), after the
    /// epochs in <paramref name="earlier"/> (a resumed fit); <paramref name="curveEpochs"/> is the curve's whole budget when known.
    /// </summary>
    /// <param name="curve">The curve (model) the fit trains.</param>
    /// <param name="phase">The fit's phase.</param>
    /// <param name="epochs">The fit's epochs.</param>
    /// <param name="batchesPerEpoch">Batches per epoch.</param>
    /// <param name="earlier">Epochs already on the curve (earlier phases, a resumed fit's).</param>
    /// <param name="curveEpochs">The curve's whole budget, when known.</param>
    /// <param name="epochOffset">Epochs of earlier phases that the fit's own numbering already counts (its records start at <c>epochOffset + 1</c>).</param>
    public void BeginFit(string curve, string phase, int epochs, int batchesPerEpoch, IReadOnlyList<EpochRecord> earlier, int? curveEpochs = null, int epochOffset = 0)
    {
        current = curves.FirstOrDefault(c => c.Label == curve);
        if (current is null) curves.Add(current = new TrainingCurve(curve));
        // A fit numbered from 1 continues after what the curve holds; one numbered along the curve needs no shift.
        current.Offset = Math.Max(0, (current.Epochs.Count == 0 ? 0 : current.Epochs[^1].Epoch) - epochOffset);
        foreach (var record in earlier) current.Add(record);
        int resumedInThisFit = earlier.Count(e => e.Epoch > epochOffset);
        this.phase = phase;
        Activity = null;
        plannedEpochs = Math.Max(current.Offset + epochOffset + epochs, curveEpochs ?? 0);
        this.batchesPerEpoch = batchesPerEpoch;
        fitBatches = (long)Math.Max(0, epochs - resumedInThisFit) * batchesPerEpoch;
        fitBatchesDone = fitImages = 0;
        fit.Restart();
        Status = new TrainingStatus(curve, phase, current.Offset + epochOffset + resumedInThisFit + 1, plannedEpochs, 0, batchesPerEpoch, double.NaN, 0, 0, TimeSpan.Zero, null);
        Notify(MonitorUpdate.Batch, force: true);
    }

    /// <summary>A batch of the current fit ended.</summary>
    public void OnBatch(BatchProgress progress)
    {
        if (current is null) return;
        fitBatchesDone++;
        fitImages += progress.BatchSize;
        var elapsed = fit.Elapsed;
        double done = fitBatches == 0 ? 1 : Math.Min(1, (double)fitBatchesDone / fitBatches);
        Status = new TrainingStatus(current.Label, phase, current.Offset + progress.Epoch, plannedEpochs, progress.Batch, progress.Batches,
            progress.Loss, fitImages / Math.Max(1e-9, elapsed.TotalSeconds), done, elapsed,
            TimeSpan.FromSeconds(elapsed.TotalSeconds / fitBatchesDone * Math.Max(0, fitBatches - fitBatchesDone)));
        if (!Due()) return;
        current.AddRunningLoss(current.Offset + progress.Epoch - 1 + (double)progress.Batch / Math.Max(1, progress.Batches), progress.Loss);
        if (current.RunningLoss.Count > MaxPointsPerCurve) current.Thin();
        Notify(MonitorUpdate.Batch, force: true);
    }

    /// <summary>An epoch of the current fit ended.</summary>
    public void OnEpoch(EpochRecord record)
    {
        if (current is null) return;
        current.Add(record);
        if (Status is { } s) Status = s with { Epoch = current.Offset + record.Epoch, Batch = batchesPerEpoch, Loss = record.TrainLoss };
        Notify(MonitorUpdate.Epoch, force: true);
    }

    void ITrainingObserver.FitStarted(FitStart fit) => BeginFit(fit.Curve, fit.Phase, fit.Epochs, fit.BatchesPerEpoch, fit.Earlier, fit.CurveEpochs, fit.EpochOffset);

    void ITrainingObserver.BatchEnded(BatchProgress progress) => OnBatch(progress);

    void ITrainingObserver.EpochEnded(EpochRecord record) => OnEpoch(record);

    void ITrainingObserver.FitFailed(Exception error)
    {
        if (error is OperationCanceledException) Finish(MonitorState.Stopped);
        else Finish(MonitorState.Failed, $"failed: {error.Message}");
    }

    void ITrainingObserver.Activity(string activity, string? curve) => Report(curve is null ? activity : $"{curve}: {activity}");

    /// <summary>Ends the run: draws the last state with the outcome (or <paramref name="message"/>). Later calls do nothing.</summary>
    public void Finish(MonitorState state, string? message = null)
    {
        if (State != MonitorState.Running) return;
        State = state;
        Message = message ?? Outcome(state);
        total.Stop();
        Notify(MonitorUpdate.Finished, force: true);
    }

    string Outcome(MonitorState state)
    {
        int epochs = curves.Sum(c => c.Epochs.Count);
        var best = curves.SelectMany(c => c.Epochs.Select(e => (c.Label, e)))
            .Where(x => !double.IsNaN(x.e.ValidationAccuracy)).DefaultIfEmpty().MaxBy(x => x.e?.ValidationAccuracy ?? double.MinValue);
        var text = string.Create(CultureInfo.InvariantCulture, $"{(state == MonitorState.Done ? "done" : "stopped")}: {epochs} epoch(s) in {Format(total.Elapsed)}");
        if (best.e is { } e)
            text += string.Create(CultureInfo.InvariantCulture, $", best validation accuracy {e.ValidationAccuracy:P1} ({(curves.Count > 1 ? best.Label + ", " : "")}epoch {e.Epoch})");
        return text;
    }

    /// <summary>m:ss (or h:mm:ss) for progress lines.</summary>
    public static string Format(TimeSpan time) => time.TotalHours >= 1
        ? time.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
        : time.ToString(@"m\:ss", CultureInfo.InvariantCulture);

    bool Due() => !sinceUpdate.IsRunning || sinceUpdate.Elapsed >= MinInterval;

    void Notify(MonitorUpdate reason, bool force)
    {
        if (ViewError is not null || (!force && !Due())) return;
        sinceUpdate.Restart();
        Updates++;
        try { view.Update(this, reason); }
        catch (Exception e)
        {
            ViewError = e;
            Console.Error.WriteLine($"Live training output switched off ({view.GetType().Name}: {e.GetType().Name}: {e.Message}); training goes on.");
        }
    }
}
