using System.Diagnostics;

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
    public double? ConsumerCapImagesPerSecond => ConsumerCpuMsPerBatch is > 0 and var ms && Batches > 0 ? Images / (double)Batches / (ms / 1000) : null;

    /// <summary>Runs <paramref name="work"/> on the calling thread (the consumer) and returns what it cost; <paramref name="work"/> returns images and batches consumed.</summary>
    public static LoaderProfile Measure(Func<(int Images, int Batches)> work)
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
