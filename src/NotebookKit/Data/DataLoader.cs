using System.Collections.Concurrent;
using System.Threading.Channels;
using NotebookKit.Data.Transforms;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;

namespace NotebookKit.Data;

/// <summary>
/// Turns a dataset and a pipeline into batches of tensors. Decoding runs on a fixed number of worker
/// threads, a bounded number of batches ahead; batches come out in order, the same for the same seed
/// whatever the thread timing. Bad files are skipped and reported (or thrown, by policy).
/// Workers write each image straight into its batch's final memory (pinned when the device is CUDA),
/// so no one copies a batch on the host; on a device, a batch's copy is issued as soon as it is ready,
/// one batch ahead of the consumer, without blocking. Memory is bounded by <c>Prefetch + 2</c> batches,
/// reused from batch to batch and epoch to epoch: dispose each batch to hand its memory back, and the
/// loader when done (or let the GC do it).
/// </summary>
public sealed class DataLoader : IBatchSource, IDisposable
{
    readonly ImageDataset dataset;
    readonly ImagePipeline pipeline;
    readonly DataLoaderOptions options;
    readonly ConcurrentDictionary<string, DataProblem> problems = new();
    readonly ConcurrentDictionary<int, Image<Rgb24>> decoded = new();
    readonly BatchMemoryPool memories;
    readonly torch.Device? device; // null: batches are views of host memory

    /// <summary>Creates a loader; nothing is decoded until an epoch is enumerated.</summary>
    public DataLoader(ImageDataset dataset, ImagePipeline pipeline, DataLoaderOptions? options = null)
        : this(dataset, pipeline, options ?? new DataLoaderOptions(), copyTo: null)
    {
    }

    /// <summary>
    /// A loader that copies batches to <paramref name="copyTo"/> even when it is the CPU: the device path (copies issued
    /// ahead, host memory handed back at the copy) run where there is no GPU, for tests. Null: the options' device.
    /// </summary>
    internal DataLoader(ImageDataset dataset, ImagePipeline pipeline, DataLoaderOptions options, torch.Device? copyTo)
    {
        this.dataset = dataset;
        this.pipeline = pipeline;
        this.options = options;
        if (options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "BatchSize must be at least 1.");
        if (options.Workers < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Workers, "Workers must be at least 1.");
        if (Ranges.InputBatch(options.BatchSize, pipeline.Size, "BatchSize", "the pipeline's Size") is { } refusal) throw new ArgumentException(refusal, nameof(options));
        if (options.Prefetch < 0) throw new ArgumentOutOfRangeException(nameof(options), options.Prefetch, "Prefetch must be 0 or more.");
        device = copyTo ?? (options.Device is { type: not DeviceType.CPU } d ? d : null);
        memories = new BatchMemoryPool(options.BatchSize, pipeline.Size, pinned: device?.type == DeviceType.CUDA, receipts: device is not null, keep: options.Prefetch + 2);
    }

    /// <summary>The dataset batched.</summary>
    public ImageDataset Dataset => dataset;

    /// <summary>The pipeline applied to each image.</summary>
    public ImagePipeline Pipeline => pipeline;

    /// <summary>The options in force.</summary>
    public DataLoaderOptions Options => options;

    /// <inheritdoc/>
    public BatchContent Content => BatchContent.Images;

    /// <inheritdoc/>
    public IReadOnlyList<string> Classes => dataset.Classes;

    /// <inheritdoc/>
    public string PathOf(int index) => dataset.PathOf(index);

    /// <summary>Batches per epoch (before bad files are left out).</summary>
    public int BatchesPerEpoch => options.DropLast ? dataset.Count / options.BatchSize : (dataset.Count + options.BatchSize - 1) / options.BatchSize;

    /// <summary>Every file skipped so far, by path, with the reason.</summary>
    public IReadOnlyList<DataProblem> Problems => problems.Values.OrderBy(p => p.Path, StringComparer.Ordinal).ToList();

    /// <summary>The sample order of <paramref name="epoch"/> (seeded; the identity when not shuffling).</summary>
    public int[] Order(int epoch) => Order(dataset.Count, options.Shuffle, options.Seed, epoch);

    /// <summary>The sample order for <paramref name="count"/> samples (shared with the feature cache, so both see the same batches).</summary>
    public static int[] Order(int count, bool shuffle, int seed, int epoch)
    {
        var order = Enumerable.Range(0, count).ToArray();
        if (shuffle) new Random(Seeds.Mix(seed, epoch, SeedSalts.DataOrder)).Shuffle(order);
        return order;
    }

    /// <summary>
    /// The batches of one epoch. Dispose each batch when done with it (<c>using var batch</c>): its tensors stay valid
    /// until then, and its memory goes back to the loader. Stopping early (break, exception, cancellation) stops the workers.
    /// </summary>
    public IEnumerable<Batch> Epoch(int epoch, CancellationToken cancellation = default)
    {
        var order = Order(epoch);
        var chunks = order.Chunk(options.BatchSize).Where(c => !options.DropLast || c.Length == options.BatchSize).ToList();
        if (chunks.Count == 0) yield break;

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var jobs = Channel.CreateUnbounded<(PendingBatch Batch, int Position)>(new UnboundedChannelOptions { SingleWriter = true });
        var workers = Enumerable.Range(0, Math.Min(options.Workers, Math.Max(1, dataset.Count)))
            .Select(_ => Task.Run(() => Work(jobs.Reader, epoch, stop.Token)))
            .ToArray();
        var pending = new Queue<PendingBatch>();
        int next = 0;
        void Schedule()
        {
            while (pending.Count <= options.Prefetch && next < chunks.Count)
            {
                var batch = new PendingBatch(chunks[next++], memories.Rent());
                pending.Enqueue(batch);
                for (int i = 0; i < batch.Indices.Length; i++) jobs.Writer.TryWrite((batch, i));
            }
            if (next == chunks.Count) jobs.Writer.TryComplete();
        }

        try
        {
            Schedule();
            while (pending.Count > 0)
            {
                yield return Next(pending, stop.Token);
                Schedule();
            }
        }
        finally
        {
            stop.Cancel();
            jobs.Writer.TryComplete();
            try { Task.WaitAll(workers); }
            catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException)) { }
            while (pending.TryDequeue(out var left)) left.Abandon(memories);
        }
        cancellation.ThrowIfCancellationRequested();
    }

    /// <summary>Waits for the oldest pending batch and hands it out; on a device, also issues the next one's copy if it is ready.</summary>
    Batch Next(Queue<PendingBatch> pending, CancellationToken stop)
    {
        var current = pending.Peek();
        current.Done.Task.Wait(stop);
        stop.ThrowIfCancellationRequested();
        if (current.Error is { } error) throw error;
        pending.Dequeue();
        Batch batch;
        try { batch = Stage(current).Hand(memories); }
        catch
        {
            current.Abandon(memories);
            throw;
        }
        // Issued now, the copy of batch k+1 is queued before the work the consumer queues for batch k.
        if (device is not null && pending.TryPeek(out var following) && following.Done.Task.IsCompleted && following.Error is null)
            try { Stage(following); }
            catch
            {
                batch.Dispose();
                throw;
            }
        return batch;
    }

    /// <summary>Closes the gaps left by bad files, writes the labels, and (with a device) issues the copy and frees the host memory.</summary>
    PendingBatch Stage(PendingBatch batch)
    {
        if (batch.Staged) return batch;
        var memory = batch.Memory!;
        var kept = Enumerable.Range(0, batch.Indices.Length).Where(i => batch.Ok[i]).ToArray();
        if (kept.Length < batch.Indices.Length)
        {
            var images = memory.AllImages();
            for (int k = 0; k < kept.Length; k++)
                if (kept[k] != k) memory.Image(kept[k]).CopyTo(images.Slice(k * memory.ValuesPerImage, memory.ValuesPerImage));
        }
        var labels = memory.AllLabels();
        for (int k = 0; k < kept.Length; k++) labels[k] = dataset.LabelOf(batch.Indices[kept[k]]);
        batch.Kept = kept.Select(k => batch.Indices[k]).ToArray();
        if (device is { } target)
        {
            batch.OnDevice = memory.CopyTo(target, kept.Length);
            batch.Memory = null;
            memories.Return(memory); // rented again only once the GPU has read it (BatchMemory.WaitForCopies)
        }
        batch.Staged = true;
        return batch;
    }

    async Task Work(ChannelReader<(PendingBatch Batch, int Position)> jobs, int epoch, CancellationToken stop)
    {
        try
        {
            await foreach (var (batch, position) in jobs.ReadAllAsync(stop).ConfigureAwait(false))
            {
                int index = batch.Indices[position];
                try
                {
                    var random = new Random(Seeds.Mix(options.Seed, epoch, index));
                    var image = Decode(index);
                    pipeline.Process(image, random, batch.Memory!.Image(position));
                    batch.Ok[position] = true;
                }
                catch (BadImageException bad)
                {
                    problems.TryAdd(dataset.PathOf(index), new DataProblem(dataset.PathOf(index), bad.Reason));
                    if (options.BadImages == BadImagePolicy.Throw) batch.Error ??= new BadImageException(dataset.PathOf(index), bad.Reason);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    batch.Error ??= new InvalidOperationException($"{dataset.PathOf(index)}: {e.Message}", e);
                }
                if (Interlocked.Decrement(ref batch.Remaining) == 0) batch.Done.TrySetResult();
            }
        }
        catch (OperationCanceledException) { }
    }

    Image<Rgb24> Decode(int index)
    {
        if (!options.CacheDecoded) return dataset.Load(index, options.Limits);
        var image = decoded.GetOrAdd(index, i => dataset.Load(i, options.Limits));
        lock (image) return image.Clone();
    }

    /// <summary>Frees the batch memory kept for later epochs (batches still in use free theirs when disposed).</summary>
    public void Dispose() => memories.Dispose();

    /// <summary>A batch being decoded: its samples, its memory, which samples worked.</summary>
    sealed class PendingBatch(int[] indices, BatchMemory memory)
    {
        public int[] Indices { get; } = indices;
        public BatchMemory? Memory { get; set; } = memory;
        public bool[] Ok { get; } = new bool[indices.Length];
        public int Remaining = indices.Length;
        public Exception? Error;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public bool Staged { get; set; }
        public int[] Kept { get; set; } = [];
        public (torch.Tensor Images, torch.Tensor Labels)? OnDevice { get; set; }

        /// <summary>
        /// The batch for the consumer: the device tensors, or views of the host memory that go back to
        /// <paramref name="pool"/> when the batch is disposed. Fresh handles, so they join the consumer's dispose scope as any new tensor does.
        /// </summary>
        public Batch Hand(BatchMemoryPool pool)
        {
            if (OnDevice is var (images, labels))
            {
                OnDevice = null;
                using (images)
                using (labels)
                    return new Batch(images.alias(), labels.alias(), Kept);
            }
            var memory = Memory!;
            Memory = null;
            return new Batch(memory.Images.narrow(0, 0, Kept.Length), memory.Labels.narrow(0, 0, Kept.Length), Kept, () => pool.Return(memory));
        }

        /// <summary>Gives back what a batch never handed out holds (after its workers stopped).</summary>
        public void Abandon(BatchMemoryPool pool)
        {
            if (OnDevice is var (images, labels))
            {
                images.Dispose();
                labels.Dispose();
                OnDevice = null;
            }
            if (Memory is { } memory) pool.Return(memory);
            Memory = null;
        }
    }
}
