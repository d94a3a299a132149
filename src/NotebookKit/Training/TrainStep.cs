using NotebookKit.Data;
using NotebookKit.Models;
using NotebookKit.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookKit.Training;

/// <summary>What one step did: the batch's mean loss (NaN or infinite when it diverged; then nothing was updated) and its correct predictions.</summary>
public readonly record struct StepOutcome(double Loss, long Correct)
{
    /// <summary>Whether the loss is finite (the weights were updated).</summary>
    public bool Finite => double.IsFinite(Loss);
}

/// <summary>
/// One optimisation step on one batch, shared by <see cref="Trainer"/> and <see cref="LrFinder"/>: set every parameter
/// group's rate (its base rate times a factor), forward, cross-entropy, refuse a non-finite loss before it reaches the
/// weights, backward (with oneDNN off only where libtorch needs it: see <see cref="OneDnn"/>), optional gradient clipping, optimizer step.
/// The batch goes to the device of the model's parameters.
/// </summary>
public sealed class TrainStep
{
    readonly ResNetModel model;
    readonly IBatchSource source;
    readonly KitOptimizer optimizer;
    readonly double? clipGradNorm;
    readonly double[] baseRates;
    readonly bool oneDnnOff;
    readonly TorchSharp.Modules.Parameter[] clipped;
    readonly Scalar one = 1L.ToScalar();

    /// <summary>A step for <paramref name="model"/> over batches of <paramref name="source"/>.</summary>
    public TrainStep(ResNetModel model, IBatchSource source, KitOptimizer optimizer, double? clipGradNorm = null)
    {
        this.model = model;
        this.source = source;
        this.optimizer = optimizer;
        this.clipGradNorm = clipGradNorm;
        baseRates = optimizer.ParamGroups.Select(g => g.LearningRate).ToArray();
        oneDnnOff = source.Content == BatchContent.Images && OneDnn.BackwardWorkaroundNeeded(model);
        clipped = clipGradNorm is null ? [] : model.parameters().Where(p => p.requires_grad).ToArray();
    }

    /// <summary>The groups' rates before any schedule (the last group is the head's).</summary>
    public IReadOnlyList<double> BaseRates => baseRates;

    /// <summary>The head's rate at schedule factor <paramref name="factor"/>.</summary>
    public double HeadRate(double factor) => baseRates[^1] * factor;

    /// <summary>Runs the step with every group at its base rate times <paramref name="rateFactor"/>.</summary>
    public StepOutcome Run(Batch batch, double rateFactor)
    {
        using var scope = NewDisposeScope();
        int g = 0;
        foreach (var group in optimizer.ParamGroups) group.LearningRate = baseRates[g++] * rateFactor;
        var device = model.Device;
        var y = batch.Labels.to(device);
        var logits = Forward(model, source.Content, batch.Images.to(device));
        var loss = nn.functional.cross_entropy(logits, y);
        double value = loss.item<float>();
        if (!double.IsFinite(value)) return new StepOutcome(value, 0);
        optimizer.ZeroGrad();
        using (OneDnn.DisabledIf(oneDnnOff)) loss.backward();
        if (clipGradNorm is { } clip) nn.utils.clip_grad_norm_(clipped, clip);
        optimizer.Step();
        return new StepOutcome(value, logits.argmax(1).eq(y).sum().item<long>());
    }

    /// <summary>
    /// The step without waiting for the device (GPU): no loss is read, so nothing is refused before the update; the loss
    /// and correct count are added to <paramref name="meter"/> on the device, read at progress ticks (where a non-finite
    /// loss stops training).
    /// </summary>
    public void RunOnDevice(Batch batch, double rateFactor, EpochMeter meter)
    {
        using var scope = NewDisposeScope();
        int g = 0;
        foreach (var group in optimizer.ParamGroups) group.LearningRate = baseRates[g++] * rateFactor;
        var device = model.Device;
        var y = batch.Labels.to(device, non_blocking: true);
        var logits = Forward(model, source.Content, batch.Images.to(device, non_blocking: true));
        var loss = nn.functional.cross_entropy(logits, y);
        optimizer.ZeroGrad();
        using (OneDnn.DisabledIf(oneDnnOff)) loss.backward();
        if (clipGradNorm is { } clip) nn.utils.clip_grad_norm_(clipped, clip);
        optimizer.Step();
        using var count = ((long)batch.Count).ToScalar();
        meter.AddOnDevice(loss.detach().mul(count), logits.argmax(1).eq(y).sum(), batch.Count, one);
    }

    /// <summary>The whole network on images, or the head alone on cached features.</summary>
    public static Tensor Forward(ResNetModel model, BatchContent content, Tensor x) =>
        content == BatchContent.Features ? model.ForwardHead(x) : model.call(x);
}
