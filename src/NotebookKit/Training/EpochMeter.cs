using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookKit.Training;

/// <summary>
/// One epoch's training numbers as they accumulate: loss, accuracy, images and time; then its <see cref="EpochRecord"/>.
/// On a GPU the sums stay on the device (<see cref="AddOnDevice"/>), so training never waits for the GPU to report a
/// number; they are read (<see cref="Read"/>) at progress ticks and at the end of the epoch.
/// </summary>
public sealed class EpochMeter : IDisposable
{
    readonly Stopwatch watch = Stopwatch.StartNew();
    double lossSum;
    long correct;
    Tensor? deviceLoss, deviceCorrect;
    long pendingSeen;

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

    /// <summary>
    /// Adds a batch whose loss (already multiplied by the batch's size) and correct count are tensors on the device,
    /// without reading them; <see cref="Read"/> brings them in.
    /// </summary>
    public void AddOnDevice(Tensor lossTimesCount, Tensor correctCount, int count, Scalar one)
    {
        if (deviceLoss is null)
        {
            deviceLoss = lossTimesCount.detach().to(ScalarType.Float64).clone().DetachFromDisposeScope();
            deviceCorrect = correctCount.detach().to(ScalarType.Int64).clone().DetachFromDisposeScope();
        }
        else
        {
            deviceLoss.add_(lossTimesCount.detach().to(ScalarType.Float64), one);
            deviceCorrect!.add_(correctCount.detach().to(ScalarType.Int64), one);
        }
        pendingSeen += count;
        Batches++;
    }

    /// <summary>Images added on the device and not read yet (their loss is not in <see cref="MeanLoss"/> until <see cref="Read"/>).</summary>
    public long Pending => pendingSeen;

    /// <summary>Reads the device sums into the running totals (waits for the device); returns the running mean loss.</summary>
    public double Read()
    {
        if (deviceLoss is not null)
        {
            lossSum = deviceLoss.item<double>();
            correct = deviceCorrect!.item<long>();
            Seen = pendingSeen;
        }
        return MeanLoss;
    }

    /// <summary>The record of the epoch (time stops here), with the validation result and the head's last rate.</summary>
    public EpochRecord Record(int epoch, string phase, Evaluation? validation, double learningRate)
    {
        Read();
        watch.Stop();
        using var process = Process.GetCurrentProcess();
        return new EpochRecord(epoch, phase, MeanLoss, (double)correct / Math.Max(1, Seen),
            validation?.Loss ?? double.NaN, validation?.Accuracy ?? double.NaN, learningRate,
            watch.Elapsed.TotalSeconds, Seen / watch.Elapsed.TotalSeconds, process.WorkingSet64 / 1048576.0,
            DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    /// <summary>Releases the device sums.</summary>
    public void Dispose()
    {
        deviceLoss?.Dispose();
        deviceCorrect?.Dispose();
    }
}
