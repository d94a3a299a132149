using System.Diagnostics;
using System.Text.Json;
using NotebookKit.Data;
using NotebookKit.Models;
using NotebookKit.Runtime;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace NotebookKit.Training;

/// <summary>
/// Trains a <see cref="ResNetModel"/>: one scoped step per batch, validation each epoch, a typed record per epoch,
/// early stopping, best and last checkpoints, exact resume, cancellation, a NaN guard and gradient clipping.
/// The model's frozen stages and BatchNorm policy (<see cref="Freezing"/>) are respected.
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
    /// Runs <see cref="TrainOptions.Epochs"/> epochs (from a checkpoint folder when <paramref name="resumeFrom"/> is given).
    /// With live output on (<see cref="LiveTraining"/>: in notebooks), progress and curves are shown while it runs.
    /// </summary>
    public TrainResult Fit(CancellationToken cancellation = default, string? resumeFrom = null)
    {
        var live = LiveTraining.Attach(options.Phase);
        try
        {
            var result = FitCore(cancellation, resumeFrom, live);
            live?.Ended(result);
            return result;
        }
        catch (Exception e) when (live is not null)
        {
            live.Failed(e);
            throw;
        }
    }

    TrainResult FitCore(CancellationToken cancellation, string? resumeFrom, LiveFit? live)
    {
        resumeFrom ??= options.ResumeFrom;
        TorchRuntime.Require();
        var device = options.Device ?? TorchRuntime.Device;
        model.to(device);
        using var optimizer = options.Optimizer.Build(model, out var groups);
        var baseRates = optimizer.ParamGroups.Select(g => g.LearningRate).ToArray();
        long stepsPerEpoch = train.BatchesPerEpoch, totalSteps = stepsPerEpoch * options.Epochs, step = 0;
        var history = new List<EpochRecord>();
        bool oneDnnWorkaround = OneDnn.BackwardWorkaroundNeeded(model.Architecture) && train.Content == BatchContent.Images;
        double best = double.NaN;
        int bestEpoch = 0, startEpoch = 1;
        Dictionary<string, Tensor>? bestState = null;

        if (resumeFrom is not null)
        {
            var state = Checkpoints.Load(resumeFrom, model, optimizer);
            history.AddRange(state.History);
            startEpoch = state.Epoch + 1;
            step = state.Step;
            (best, bestEpoch) = (state.BestValidationAccuracy, state.BestEpoch);
        }

        string? checkpoint = resumeFrom;
        live?.Begin(options.Phase, options.Epochs, (int)stepsPerEpoch, history);
        try
        {
            for (int epoch = startEpoch; epoch <= options.Epochs; epoch++)
            {
                if (cancellation.IsCancellationRequested) return Result(cancelled: true);
                torch.manual_seed(Seeds.Mix(options.Seed, epoch, 17));
                var watch = Stopwatch.StartNew();
                Freezing.Train(model);
                double lossSum = 0;
                long correct = 0, seen = 0;
                int batchIndex = 0;
                foreach (var batch in train.Epoch(epoch - 1, cancellation))
                {
                    using (batch)
                    using (NewDisposeScope())
                    {
                        double factor = LrSchedule.Factor(options.Schedule, step, totalSteps);
                        int g = 0;
                        foreach (var group in optimizer.ParamGroups) group.LearningRate = baseRates[g++] * factor;
                        var x = batch.Images.to(device);
                        var y = batch.Labels.to(device);
                        var logits = Forward(model, train, x);
                        var loss = nn.functional.cross_entropy(logits, y);
                        double value = loss.item<float>();
                        if (!double.IsFinite(value)) throw new TrainingDivergedException(epoch, batchIndex, baseRates[^1] * factor, value);
                        optimizer.zero_grad();
                        using (OneDnn.DisabledIf(oneDnnWorkaround)) loss.backward();
                        if (options.ClipGradNorm is { } clip) nn.utils.clip_grad_norm_(model.parameters().Where(p => p.requires_grad), clip);
                        optimizer.step();
                        step++;
                        lossSum += value * batch.Count;
                        correct += logits.argmax(1).eq(y).sum().item<long>();
                        seen += batch.Count;
                    }
                    var progress = new BatchProgress(epoch, ++batchIndex, train.BatchesPerEpoch, lossSum / Math.Max(1, seen), batch.Count);
                    live?.Batch(progress);
                    BatchCompleted?.Invoke(progress);
                }
                var evaluation = validation is null ? null : Evaluate(model, validation, options.TopK, device);
                watch.Stop();
                using var process = Process.GetCurrentProcess();
                var record = new EpochRecord(epoch, options.Phase, lossSum / Math.Max(1, seen), (double)correct / Math.Max(1, seen),
                    evaluation?.Loss ?? double.NaN, evaluation?.Accuracy ?? double.NaN,
                    baseRates[^1] * LrSchedule.Factor(options.Schedule, Math.Max(0, step - 1), totalSteps),
                    watch.Elapsed.TotalSeconds, seen / watch.Elapsed.TotalSeconds, process.WorkingSet64 / 1048576.0,
                    DisposeScopeManager.Statistics.ThreadTotalLiveCount);
                history.Add(record);

                if (evaluation is not null && (double.IsNaN(best) || evaluation.Accuracy > best))
                {
                    (best, bestEpoch) = (evaluation.Accuracy, epoch);
                    if (options.RestoreBest || options.CheckpointDirectory is not null) bestState = Snapshot(bestState);
                    if (options.CheckpointDirectory is not null) StateDicts.Write(model, Path.Combine(options.CheckpointDirectory, "best.safetensors"));
                }
                if (options.CheckpointDirectory is not null)
                    checkpoint = Checkpoints.Save(options.CheckpointDirectory, model, optimizer, new CheckpointState(epoch, step, history, best, bestEpoch));
                live?.Epoch(record);
                EpochCompleted?.Invoke(record);
                if (options.EarlyStoppingPatience is { } patience && epoch - bestEpoch >= patience) return Result(stoppedEarly: true);
            }
            return Result();
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return Result(cancelled: true);
        }
        finally
        {
            if (options.RestoreBest && bestState is not null)
                using (no_grad())
                    foreach (var (name, tensor) in model.state_dict()) tensor.copy_(bestState[name]);
            if (bestState is not null) foreach (var t in bestState.Values) t.Dispose();
        }

        TrainResult Result(bool stoppedEarly = false, bool cancelled = false) => new(history, best, bestEpoch, checkpoint, stoppedEarly, cancelled);

        Dictionary<string, Tensor> Snapshot(Dictionary<string, Tensor>? previous)
        {
            if (previous is not null) foreach (var t in previous.Values) t.Dispose();
            using var _ = no_grad();
            using var scope = NewDisposeScope();
            return model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
        }
    }

    static Tensor Forward(ResNetModel model, IBatchSource source, Tensor x) =>
        source.Content == BatchContent.Features ? model.ForwardHead(x) : model.call(x);

    /// <summary>Evaluates <paramref name="model"/> on every batch of <paramref name="loader"/> in eval mode.</summary>
    public static Evaluation Evaluate(ResNetModel model, IBatchSource loader, int topK = 5, Device? device = null)
    {
        bool training = model.training;
        model.eval();
        var builder = new Evaluation.Builder(loader.Classes, topK);
        try
        {
            using var _ = no_grad();
            foreach (var batch in loader.Epoch(0))
                using (batch)
                using (NewDisposeScope())
                {
                    var x = device is null ? batch.Images : batch.Images.to(device);
                    builder.Add(Forward(model, loader, x), batch.Labels, batch.Indices, loader.PathOf);
                }
        }
        finally { model.train(training); }
        return builder.Build();
    }
}

/// <summary>What a checkpoint records besides the weights.</summary>
public sealed record CheckpointState(int Epoch, long Step, IReadOnlyList<EpochRecord> History, double BestValidationAccuracy, int BestEpoch);

/// <summary>
/// Checkpoints: <c>DIR/last/</c> holds model.safetensors, optimizer.pt and state.json, written into a temporary
/// folder and renamed, so an interrupted write never replaces a good checkpoint with a broken one.
/// </summary>
public static class Checkpoints
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Writes the checkpoint and returns its folder.</summary>
    public static string Save(string directory, ResNetModel model, optim.Optimizer optimizer, CheckpointState state)
    {
        var final = Path.Combine(Path.GetFullPath(directory), "last");
        var temp = final + $".writing-{Environment.ProcessId}";
        if (Directory.Exists(temp)) Directory.Delete(temp, true);
        Directory.CreateDirectory(temp);
        StateDicts.Write(model, Path.Combine(temp, "model.safetensors"));
        ((TorchSharp.Modules.OptimizerHelper)optimizer).save_py(Path.Combine(temp, "optimizer.pt"));
        File.WriteAllText(Path.Combine(temp, "state.json"), JsonSerializer.Serialize(state, Json));
        var old = final + ".old";
        if (Directory.Exists(old)) Directory.Delete(old, true);
        if (Directory.Exists(final)) Directory.Move(final, old);
        Directory.Move(temp, final);
        if (Directory.Exists(old)) Directory.Delete(old, true);
        return final;
    }

    /// <summary>Restores model and optimizer from <paramref name="checkpoint"/> (a checkpoint folder or its parent).</summary>
    public static CheckpointState Load(string checkpoint, ResNetModel model, optim.Optimizer optimizer)
    {
        var folder = File.Exists(Path.Combine(checkpoint, "state.json")) ? checkpoint : Path.Combine(checkpoint, "last");
        if (!File.Exists(Path.Combine(folder, "state.json")))
            throw new FileNotFoundException($"{checkpoint}: no checkpoint here (expected state.json, model.safetensors, optimizer.pt; `nbkit train --out DIR` writes them to DIR/last).");
        var report = StateDicts.LoadInto(model, Path.Combine(folder, "model.safetensors"), skipHeadIfClassesDiffer: false);
        if (!report.Complete) throw new InvalidOperationException($"{folder}: the checkpoint does not fit this model ({report}).");
        ((TorchSharp.Modules.OptimizerHelper)optimizer).load_py(Path.Combine(folder, "optimizer.pt"));
        return JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(Path.Combine(folder, "state.json")), Json)!;
    }
}
