using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookKit.Training;

/// <summary>One epoch's training numbers as they accumulate: loss, accuracy, images and time; then its <see cref="EpochRecord"/>.</summary>
public sealed class EpochMeter
{
    readonly Stopwatch watch = Stopwatch.StartNew();
    double lossSum;
    long correct;

    /// <summary>Images seen.</summary>
    public long Seen { get; private set; }

    /// <summary>Batches seen.</summary>
    public int Batches { get; private set; }

    /// <summary>The running mean loss (0 before the first batch).</summary>
    public double MeanLoss => lossSum / Math.Max(1, Seen);

    /// <summary>Adds a step's outcome for a batch of <paramref name="count"/> images.</summary>
    public void Add(StepOutcome step, int count)
    {
        lossSum += step.Loss * count;
        correct += step.Correct;
        Seen += count;
        Batches++;
    }

    /// <summary>The record of the epoch (time stops here), with the validation result and the head's last rate.</summary>
    public EpochRecord Record(int epoch, string phase, Evaluation? validation, double learningRate)
    {
        watch.Stop();
        using var process = Process.GetCurrentProcess();
        return new EpochRecord(epoch, phase, MeanLoss, (double)correct / Math.Max(1, Seen),
            validation?.Loss ?? double.NaN, validation?.Accuracy ?? double.NaN, learningRate,
            watch.Elapsed.TotalSeconds, Seen / watch.Elapsed.TotalSeconds, process.WorkingSet64 / 1048576.0,
            DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
