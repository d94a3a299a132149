using NotebookKit.Data;
using NotebookKit.Models;
using NotebookKit.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookKit.Training;

/// <summary>
/// Trains a <see cref="ResNetModel"/>: one scoped <see cref="TrainStep"/> per batch, validation each epoch, a typed
/// record per epoch, early stopping, best and last checkpoints, exact resume, cancellation, a NaN guard and gradient
/// clipping. The model's frozen stages and BatchNorm policy are its own (<see cref="ResNetModel.train"/> applies them).
/// </summary>
public sealed class Trainer(ResNetModel model, IBatchSource train, IBatchSource? validation, TrainOptions? options = null)
{
    readonly TrainOptions options = options ?? new TrainOptions();

    /// <summary>Raised after each epoch (progress bars, live charts).</summary>
    public event Action<EpochRecord>? EpochCompleted;

    /// <summary>Raised after each batch.</summary>
    public event Action<BatchProgress>? BatchCompleted;

    /// <summary>The model trained.</summary>
    public ResNetModel Model => model;

    /// <summary>
    /// Runs <see cref="TrainOptions.Epochs"/> epochs (from a checkpoint folder when <paramref name="resumeFrom"/> is given),
    /// reporting to <see cref="TrainOptions.Observer"/> (by default the live display of notebooks and apps).
    /// </summary>
    public TrainResult Fit(CancellationToken cancellation = default, string? resumeFrom = null)
    {
        using var live = LiveTraining.Open(options.Observer, options.Phase == "train" ? "training" : $"training: {options.Phase}");
        try
        {
            var result = FitCore(live.Observer, cancellation, resumeFrom ?? options.ResumeFrom);
            live.Observer.FitEnded(result);
            if (!result.Cancelled) live.Complete();
            return result;
        }
        catch (Exception e)
        {
            live.Observer.FitFailed(e);
            throw;
        }
    }

    TrainResult FitCore(ITrainingObserver observer, CancellationToken cancellation, string? resumeFrom)
    {
        TorchRuntime.Require();
        model.to(options.Device ?? TorchRuntime.Device);
        using var optimizer = options.Optimizer.Build(model, out _);
        var step = new TrainStep(model, train, optimizer, options.ClipGradNorm);
        var resumed = resumeFrom is null ? null : Checkpoints.Load(resumeFrom, model, optimizer, options);
        // The curve so far: earlier phases (fine-tuning's head), then this phase's epochs as they come.
        var history = new List<EpochRecord>(resumed?.History ?? options.EarlierHistory);
        var earlierBest = history.Where(h => !double.IsNaN(h.ValidationAccuracy)).MaxBy(h => h.ValidationAccuracy);
        using var best = new BestWeights(options.RestoreBest, earlierBest?.ValidationAccuracy ?? double.NaN, earlierBest?.Epoch ?? 0);
        if (resumed is not null && resumed.Step > (long)resumed.Epoch * train.BatchesPerEpoch)
            throw new KitException($"{Checkpoints.FolderOf(resumeFrom!)}/state.json: step is {resumed.Step}, more than the {resumed.Epoch} epoch(s) x {train.BatchesPerEpoch} batches done; the checkpoint is damaged or from other data. Delete it or start without --resume.");
        var clock = new ScheduleClock(options.Schedule, train.BatchesPerEpoch, options.Epochs, resumed?.Step ?? 0);
        string? checkpoint = resumeFrom;
        TrainResult Result(bool stoppedEarly = false, bool cancelled = false) => new(history.ToList(), best.Accuracy, best.Epoch, checkpoint, stoppedEarly, cancelled);

        observer.FitStarted(new FitStart(options.Phase, options.Phase, options.Epochs, train.BatchesPerEpoch, history.ToList()) { EpochOffset = options.EpochOffset });
        try
        {
            for (int epoch = (resumed?.Epoch ?? 0) + 1; epoch <= options.Epochs; epoch++)
            {
                if (cancellation.IsCancellationRequested) return Result(cancelled: true);
                int onCurve = options.EpochOffset + epoch;
                using var meter = TrainEpoch(step, clock, epoch, observer, cancellation);
                var evaluation = validation is null ? null : Evaluate(model, validation, options.TopK);
                var record = meter.Record(onCurve, options.Phase, evaluation, step.HeadRate(clock.LastFactor));
                history.Add(record);
                if (best.Offer(onCurve, evaluation?.Accuracy, model) && options.CheckpointDirectory is { } folder) Checkpoints.SaveBest(folder, model);
                if (options.CheckpointDirectory is not null)
                    checkpoint = Checkpoints.Save(options.CheckpointDirectory, model, optimizer,
                        new CheckpointState(epoch, clock.Step, history, best.Accuracy, best.Epoch) { Phase = options.Phase, EpochOffset = options.EpochOffset, Settings = CheckpointSettings.Of(options) });
                observer.EpochEnded(record);
                EpochCompleted?.Invoke(record);
                if (options.EarlyStoppingPatience is { } patience && onCurve - best.Epoch >= patience) return Result(stoppedEarly: true);
            }
            return Result();
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return Result(cancelled: true);
        }
        finally
        {
            if (options.RestoreBest) best.RestoreInto(model);
        }
    }

    /// <summary>
    /// One pass over the training batches in training mode (the epoch's torch seed fixed, so a resumed run repeats exactly).
    /// On the CPU each step's loss is read before the update (free there), so a diverging loss never reaches the weights;
    /// on a GPU the loss and accuracy add up on the device and are read at progress ticks (0.5 s) and at the end of the epoch.
    /// </summary>
    EpochMeter TrainEpoch(TrainStep step, ScheduleClock clock, int epoch, ITrainingObserver observer, CancellationToken cancellation)
    {
        manual_seed(Seeds.Mix(options.Seed, epoch, SeedSalts.EpochTorchRng));
        model.train();
        bool onDevice = !(options.CheckLossEveryStep ?? model.Device.type == DeviceType.CPU);
        var tick = System.Diagnostics.Stopwatch.StartNew();
        var meter = new EpochMeter();
        foreach (var batch in train.Epoch(epoch - 1, cancellation))
        {
            using (batch)
            {
                if (onDevice) step.RunOnDevice(batch, clock.Next(), meter);
                else
                {
                    var outcome = step.Run(batch, clock.Next());
                    if (!outcome.Finite) throw new TrainingDivergedException(options.EpochOffset + epoch, meter.Batches, step.HeadRate(clock.LastFactor), outcome.Loss);
                    meter.Add(outcome, batch.Count);
                }
            }
            if (onDevice && tick.Elapsed >= TimeSpan.FromSeconds(0.5))
            {
                tick.Restart();
                if (!double.IsFinite(meter.Read())) throw new TrainingDivergedException(options.EpochOffset + epoch, meter.Batches, step.HeadRate(clock.LastFactor), meter.MeanLoss);
            }
            var progress = new BatchProgress(options.EpochOffset + epoch, meter.Batches, train.BatchesPerEpoch, meter.MeanLoss, batch.Count);
            observer.BatchEnded(progress);
            BatchCompleted?.Invoke(progress);
        }
        if (onDevice && !double.IsFinite(meter.Read())) throw new TrainingDivergedException(options.EpochOffset + epoch, meter.Batches, step.HeadRate(clock.LastFactor), meter.MeanLoss);
        return meter;
    }

    /// <summary>Evaluates <paramref name="model"/> on every batch of <paramref name="loader"/> in eval mode, on the model's device.</summary>
    public static Evaluation Evaluate(ResNetModel model, IBatchSource loader, int topK = 5)
    {
        bool training = model.training;
        model.eval();
        var builder = new Evaluation.Builder(loader.Classes, topK);
        var device = model.Device;
        try
        {
            using var _ = no_grad();
            foreach (var batch in loader.Epoch(0))
                using (batch)
                using (NewDisposeScope())
                    builder.Add(TrainStep.Forward(model, loader.Content, batch.Images.to(device)), batch.Labels, batch.Indices, loader.PathOf);
        }
        finally { model.train(training); }
        return builder.Build();
    }
}
