using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookKit.Data;

/// <summary>
/// The host memory of one batch: images (N x 3 x H x W, float32) and labels (N, int64), allocated once and reused from
/// batch to batch, page-locked (pinned) when batches go to a CUDA device. Workers write decoded images straight into it,
/// so no one copies a batch on the host.
/// </summary>
/// <remarks>
/// On CUDA a batch leaves through a non-blocking copy, which the GPU runs later. Before this memory takes another batch,
/// <see cref="WaitForCopies"/> checks a receipt: one label copied back from the device behind the batch, on the same
/// stream. The receipt arrives only after the batch's own copies have run, so workers never overwrite memory the GPU
/// still reads (TorchSharp 0.107 exposes no CUDA events).
/// </remarks>
sealed class BatchMemory : IDisposable
{
    const long NoReceipt = -1; // labels are never negative
    static readonly TimeSpan ReceiptPatience = TimeSpan.FromSeconds(5);
    readonly long bytes;
    Device? copiesInFlightTo;
    bool disposed;

    /// <param name="batchSize">Images per batch.</param>
    /// <param name="size">Image side.</param>
    /// <param name="pinned">Page-locked, for non-blocking copies to CUDA.</param>
    /// <param name="receipts">Batches leave through <see cref="CopyTo"/> (the memory is reused after the receipt).</param>
    public BatchMemory(int batchSize, int size, bool pinned, bool receipts)
    {
        Pinned = pinned;
        Images = Allocate([batchSize, 3, size, size], float32, pinned);
        Labels = Allocate([batchSize], int64, pinned);
        Receipt = receipts ? Allocate([1], int64, pinned) : null;
        ValuesPerImage = 3 * size * size;
        bytes = (long)batchSize * ValuesPerImage * sizeof(float) + batchSize * sizeof(long);
        GC.AddMemoryPressure(bytes); // native memory the GC cannot see: without this, an unreferenced loader could hold it long
    }

    /// <summary>N x 3 x H x W floats.</summary>
    public Tensor Images { get; }

    /// <summary>N labels.</summary>
    public Tensor Labels { get; }

    /// <summary>Where the device writes back a label once the batch's copies have run (with a device only).</summary>
    Tensor? Receipt { get; }

    /// <summary>Floats per image.</summary>
    public int ValuesPerImage { get; }

    /// <summary>Whether this memory is page-locked (batches go to CUDA).</summary>
    public bool Pinned { get; }

    /// <summary>The floats of image <paramref name="position"/> (callable from any thread).</summary>
    public Span<float> Image(int position) => AllImages().Slice(position * ValuesPerImage, ValuesPerImage);

    /// <summary>The floats of every image.</summary>
    public Span<float> AllImages() => MemoryMarshal.Cast<byte, float>(Images.bytes);

    /// <summary>The labels.</summary>
    public Span<long> AllLabels() => MemoryMarshal.Cast<byte, long>(Labels.bytes);

    /// <summary>
    /// Copies the first <paramref name="count"/> images and labels to <paramref name="device"/>: on CUDA without blocking
    /// (the copy runs on the GPU's stream, ahead of work queued later), elsewhere at once. The tensors returned belong to
    /// no dispose scope.
    /// </summary>
    public (Tensor Images, Tensor Labels) CopyTo(Device device, int count)
    {
        bool cuda = device.type == DeviceType.CUDA && Pinned;
        using var images = Images.narrow(0, 0, count);
        using var labels = Labels.narrow(0, 0, count);
        var onDevice = (images.to(device, copy: true, non_blocking: cuda).DetachFromDisposeScope(), labels.to(device, copy: true, non_blocking: cuda).DetachFromDisposeScope());
        if (Receipt is not null && count > 0)
        {
            ReceiptValue() = NoReceipt;
            using var first = onDevice.Item2.narrow(0, 0, 1);
            var copied = Receipt.copy_(first, nonBlocking: true);
            if (!ReferenceEquals(copied, Receipt)) copied.Dispose(); // TorchSharp 0.107's copy_ returns the tensor itself
            copiesInFlightTo = device;
        }
        return onDevice;
    }

    /// <summary>Whether the receipt of the last copies has arrived (true when none is awaited).</summary>
    public bool CopiesDone => copiesInFlightTo is null || Volatile.Read(ref ReceiptValue()) != NoReceipt;

    /// <summary>Returns once the GPU has finished reading this memory (at once when no copy is in flight).</summary>
    public void WaitForCopies()
    {
        if (copiesInFlightTo is not { } device) return;
        // Usually there at once; when the consumer runs far ahead of the GPU, this waits (yielding) until the GPU has read
        // this memory, and not for the rest of its queue. No receipt for long means the GPU failed or hangs: synchronising
        // then waits for everything queued (these copies included) and surfaces a CUDA error.
        var spin = new SpinWait();
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        while (Volatile.Read(ref ReceiptValue()) == NoReceipt)
        {
            if (System.Diagnostics.Stopwatch.GetElapsedTime(start) > ReceiptPatience)
            {
                cuda.synchronize(device);
                break;
            }
            spin.SpinOnce();
        }
        copiesInFlightTo = null;
    }

    ref long ReceiptValue() => ref MemoryMarshal.Cast<byte, long>(Receipt!.bytes)[0];

    static Tensor Allocate(long[] shape, ScalarType type, bool pinned)
    {
        var pageable = empty(shape, type).DetachFromDisposeScope();
        if (!pinned) return pageable;
        using (pageable) return pageable.pin_memory().DetachFromDisposeScope();
    }

    /// <summary>Frees the memory (a pinned block goes back to libtorch's cache, which waits for copies still running).</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        Images.Dispose();
        Labels.Dispose();
        Receipt?.Dispose();
        GC.RemoveMemoryPressure(bytes);
        GC.SuppressFinalize(this);
    }

    /// <summary>Undisposed (a batch never disposed): the tensors free themselves; only the pressure is ours to take back.</summary>
    ~BatchMemory() => GC.RemoveMemoryPressure(bytes);
}
