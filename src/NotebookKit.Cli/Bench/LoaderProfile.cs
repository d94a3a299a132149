using System.Diagnostics;
using NotebookKit.Data;

namespace NotebookKit.Cli.Bench;

/// <summary>
/// Where a loader's time goes besides decoding, over some epochs: the consuming thread's CPU per batch (work that no
/// number of workers can spread, so it caps the loader at <see cref="ConsumerCapImagesPerSecond"/>), allocation per
/// image, garbage collections and the share of the time they paused every thread, and lock contention.
/// </summary>
sealed record LoaderProfile(
    int Batches,
    int Images,
    double Seconds,
    double? ConsumerCpuMsPerBatch,
    double AllocatedKBPerImage,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    double GcPausePercent,
    long LockContentions)
{
    /// <summary>Images/s the consuming thread alone would allow if it did nothing but its per-batch work.</summary>
    public double? ConsumerCapImagesPerSecond => ConsumerCpuMsPerBatch is > 0 and var ms ? Images / (double)Batches / (ms / 1000) : null;

    /// <summary>
    /// Consumes <paramref name="epochs"/> epochs of <paramref name="loader"/> from <paramref name="firstEpoch"/> on the calling
    /// thread (the consumer), disposing each batch at once, then runs <paramref name="finish"/> (e.g. a device
    /// synchronisation) inside the timing, and returns what it cost.
    /// </summary>
    public static LoaderProfile Measure(DataLoader loader, int firstEpoch, int epochs, Action? finish = null) => Measure(() =>
    {
        int images = 0, batches = 0;
        for (int epoch = firstEpoch; epoch < firstEpoch + epochs; epoch++)
        {
            var (i, b) = Drain(loader, epoch);
            images += i;
            batches += b;
        }
        finish?.Invoke();
        return (images, batches);
    });

    /// <summary>Consumes one epoch, disposing each batch at once (a warm-up, or the timed work above).</summary>
    public static (int Images, int Batches) Drain(DataLoader loader, int epoch)
    {
        int images = 0, batches = 0;
        foreach (var batch in loader.Epoch(epoch))
            using (batch)
            {
                images += batch.Count;
                batches++;
            }
        return (images, batches);
    }

    static LoaderProfile Measure(Func<(int Images, int Batches)> work)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var gen0 = GC.CollectionCount(0);
        var gen1 = GC.CollectionCount(1);
        var gen2 = GC.CollectionCount(2);
        var pause = GC.GetTotalPauseDuration();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var contentions = Monitor.LockContentionCount;
        var cpu = ThreadCpuClock.Now();
        var watch = Stopwatch.StartNew();
        var (images, batches) = work();
        double seconds = watch.Elapsed.TotalSeconds;
        var cpuAfter = ThreadCpuClock.Now();
        return new LoaderProfile(
            batches,
            images,
            seconds,
            cpu is { } c0 && cpuAfter is { } c1 && batches > 0 ? (c1 - c0).TotalMilliseconds / batches : null,
            images > 0 ? (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1024.0 / images : 0,
            GC.CollectionCount(0) - gen0,
            GC.CollectionCount(1) - gen1,
            GC.CollectionCount(2) - gen2,
            seconds > 0 ? 100 * (GC.GetTotalPauseDuration() - pause).TotalSeconds / seconds : 0,
            Monitor.LockContentionCount - contentions);
    }
}
