using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using NotebookKit.Data.Transforms;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;

namespace NotebookKit.Data;

/// <summary>
/// Turns a dataset and a pipeline into batches of tensors. Decoding runs on a fixed number of worker
/// threads, a bounded number of batches ahead; batches come out in order, the same for the same seed
/// whatever the thread timing. Bad files are skipped and reported (or thrown, by policy). Memory is
/// bounded by (prefetch + 1) batch buffers, reused from epoch to epoch.
/// </summary>
public sealed class DataLoader : IBatchSource
{
    readonly ImageDataset dataset;
    readonly ImagePipeline pipeline;
    readonly DataLoaderOptions options;
    readonly ConcurrentDictionary<string, DataProblem> problems = new();
    readonly ConcurrentDictionary<int, Image<Rgb24>> decoded = new();
    readonly ConcurrentBag<float[]> buffers = new();

    /// <summary>Creates a loader; nothing is decoded until an epoch is enumerated.</summary>
    public DataLoader(ImageDataset dataset, ImagePipeline pipeline, DataLoaderOptions? options = null)
    {
        this.dataset = dataset;
        this.pipeline = pipeline;
        this.options = options ?? new DataLoaderOptions();
        if (this.options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), this.options.BatchSize, "BatchSize must be at least 1.");
        if (this.options.Workers < 1) throw new ArgumentOutOfRangeException(nameof(options), this.options.Workers, "Workers must be at least 1.");
        if (Ranges.InputBatch(this.options.BatchSize, pipeline.Size, "BatchSize", "the pipeline's Size") is { } refusal) throw new ArgumentException(refusal, nameof(options));
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
    /// The batches of one epoch. Dispose each batch when done with it (<c>using var batch</c>).
    /// Stopping early (break, exception, cancellation) stops the workers.
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
                var batch = new PendingBatch(chunks[next++], RentBuffer(options.BatchSize * pipeline.ValuesPerImage));
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
                var current = pending.Dequeue();
                try
                {
                    current.Done.Task.Wait(stop.Token);
                    stop.Token.ThrowIfCancellationRequested();
                    if (current.Error is { } error) throw error;
                    yield return ToTensors(current);
                }
                finally
                {
                    buffers.Add(current.Buffer);
                }
                Schedule();
            }
        }
        finally
        {
            stop.Cancel();
            jobs.Writer.TryComplete();
            try { Task.WaitAll(workers); }
            catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException)) { }
        }
        cancellation.ThrowIfCancellationRequested();
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
                    pipeline.Process(image, random, batch.Buffer.AsSpan(position * pipeline.ValuesPerImage, pipeline.ValuesPerImage));
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

    Batch ToTensors(PendingBatch batch)
    {
        int values = pipeline.ValuesPerImage;
        var kept = Enumerable.Range(0, batch.Indices.Length).Where(i => batch.Ok[i]).ToArray();
        if (kept.Length < batch.Indices.Length)
            for (int k = 0; k < kept.Length; k++)
                if (kept[k] != k) Array.Copy(batch.Buffer, kept[k] * values, batch.Buffer, k * values, values);

        var images = torch.empty([kept.Length, 3, pipeline.Size, pipeline.Size], torch.float32);
        MemoryMarshal.AsBytes(batch.Buffer.AsSpan(0, kept.Length * values)).CopyTo(images.bytes);
        var labels = torch.tensor(kept.Select(k => (long)dataset.LabelOf(batch.Indices[k])).ToArray(), torch.int64);
        var indices = kept.Select(k => batch.Indices[k]).ToArray();
        if (options.Device is not { type: not DeviceType.CPU } device) return new Batch(images, labels, indices);

        using (images)
        using (labels)
        {
            if (device.type == DeviceType.CUDA)
            {
                // Pinned host memory lets the copy overlap with compute on the GPU.
                using var pinnedImages = images.pin_memory();
                using var pinnedLabels = labels.pin_memory();
                return new Batch(pinnedImages.to(device, non_blocking: true), pinnedLabels.to(device, non_blocking: true), indices);
            }
            return new Batch(images.to(device), labels.to(device), indices);
        }
    }

    float[] RentBuffer(int length)
    {
        while (buffers.TryTake(out var buffer))
            if (buffer.Length == length) return buffer;
        return new float[length];
    }

    sealed class PendingBatch(int[] indices, float[] buffer)
    {
        public int[] Indices { get; } = indices;
        public float[] Buffer { get; } = buffer;
        public bool[] Ok { get; } = new bool[indices.Length];
        public int Remaining = indices.Length;
        public Exception? Error;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
