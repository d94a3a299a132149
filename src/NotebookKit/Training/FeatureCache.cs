using System.Security.Cryptography;
using System.Text;
using NotebookKit.Data;
using NotebookKit.Data.Transforms;
using NotebookKit.Models;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace NotebookKit.Training;

/// <summary>
/// Backbone features computed once, so a head on a frozen backbone trains in milliseconds per epoch
/// instead of a backbone pass per epoch. Valid only without augmentation (the same input every epoch).
/// A batch source over the cached features, with the same sample order as a <see cref="DataLoader"/> of the same seed.
/// </summary>
public sealed class FeatureCache : IBatchSource, IDisposable
{
    readonly Tensor features;
    readonly long[] labels;
    readonly ImageDataset dataset;

    FeatureCache(Tensor features, long[] labels, ImageDataset dataset, int batchSize, bool shuffle, int seed)
    {
        this.features = features;
        this.labels = labels;
        this.dataset = dataset;
        BatchSize = batchSize;
        Shuffle = shuffle;
        Seed = seed;
    }

    /// <summary>Batch size of <see cref="Epoch"/>.</summary>
    public int BatchSize { get; }
    /// <summary>Shuffle each epoch.</summary>
    public bool Shuffle { get; }
    /// <summary>Seed of the order.</summary>
    public int Seed { get; }
    /// <summary>Number of samples.</summary>
    public int Count => labels.Length;
    /// <summary>Feature size.</summary>
    public long FeatureSize => features.shape[1];
    /// <inheritdoc/>
    public BatchContent Content => BatchContent.Features;
    /// <inheritdoc/>
    public int BatchesPerEpoch => (Count + BatchSize - 1) / BatchSize;
    /// <inheritdoc/>
    public IReadOnlyList<string> Classes => dataset.Classes;
    /// <inheritdoc/>
    public string PathOf(int index) => dataset.PathOf(index);

    /// <summary>
    /// Runs the model's backbone over <paramref name="loader"/> once (eval mode, no gradients) and keeps the pooled
    /// features. With <paramref name="cacheFolder"/>, features are stored on disk keyed by the weights, the data and
    /// the pipeline, and reused next time. Progress ("computing features: 320/1500 images") goes to <paramref name="observer"/>.
    /// </summary>
    public static FeatureCache Compute(ResNetModel model, DataLoader loader, int batchSize, bool shuffle, int seed, string? cacheFolder = null,
        ITrainingObserver? observer = null)
    {
        if (loader.Pipeline.IsRandom)
            throw new ArgumentException($"The pipeline augments ({loader.Pipeline}); cached features would freeze one random view. Use the eval pipeline or train without the cache.", nameof(loader));
        var file = cacheFolder is null ? null : Path.Combine(cacheFolder, $"features-{Key(model, loader)}.safetensors");
        if (file is not null && File.Exists(file))
        {
            var stored = TorchSharp.PyBridge.Safetensors.LoadStateDict(file);
            return new FeatureCache(stored["features"], stored["labels"].data<long>().ToArray(), loader.Dataset, batchSize, shuffle, seed);
        }
        bool training = model.training;
        model.eval();
        var parts = new Tensor[loader.Dataset.Count];
        var labels = new long[loader.Dataset.Count];
        try
        {
            using var _ = no_grad();
            var device = model.Device;
            int done = 0;
            foreach (var batch in loader.Epoch(0))
                using (batch)
                using (NewDisposeScope())
                {
                    observer?.Activity($"computing features: {done += batch.Count}/{parts.Length} images");
                    var f = model.ForwardFeatures(batch.Images.to(device)).cpu();
                    var y = batch.Labels.data<long>().ToArray();
                    for (int i = 0; i < batch.Count; i++)
                    {
                        parts[batch.Indices[i]] = f[i].clone().MoveToOuterDisposeScope();
                        labels[batch.Indices[i]] = y[i];
                    }
                }
        }
        finally { model.train(training); }
        var missing = Enumerable.Range(0, parts.Length).Where(i => parts[i] is null).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException($"{missing.Count} samples could not be decoded ({string.Join(", ", loader.Problems.Take(3))}); remove them from the dataset before caching features.");
        var all = stack(parts);
        foreach (var p in parts) p.Dispose();
        if (file is not null)
        {
            Directory.CreateDirectory(cacheFolder!);
            using var labelTensor = tensor(labels);
            TorchSharp.PyBridge.Safetensors.SaveStateDict(file + ".tmp", new Dictionary<string, Tensor> { ["features"] = all, ["labels"] = labelTensor });
            File.Move(file + ".tmp", file, overwrite: true);
        }
        return new FeatureCache(all, labels, loader.Dataset, batchSize, shuffle, seed);
    }

    /// <inheritdoc/>
    public IEnumerable<Batch> Epoch(int epoch, CancellationToken cancellation = default)
    {
        var order = DataLoader.Order(Count, Shuffle, Seed, epoch);
        foreach (var chunk in order.Chunk(BatchSize))
        {
            cancellation.ThrowIfCancellationRequested();
            using var index = tensor(chunk.Select(i => (long)i).ToArray());
            yield return new Batch(features.index_select(0, index), tensor(chunk.Select(i => labels[i]).ToArray()), chunk);
        }
    }

    /// <summary>Releases the features.</summary>
    public void Dispose() => features.Dispose();

    static string Key(ResNetModel model, DataLoader loader)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var scope = NewDisposeScope();
        foreach (var (name, tensor) in model.state_dict())
        {
            if (ResNetModel.StageOf(name) == Stages.Head) continue;
            sha.AppendData(Encoding.UTF8.GetBytes(name));
            if (tensor.dtype == float32 && tensor.numel() > 0) sha.AppendData(tensor.cpu().bytes);
        }
        sha.AppendData(Encoding.UTF8.GetBytes($"{loader.Dataset.Name}|{loader.Dataset.Count}|{loader.Pipeline}"));
        for (int i = 0; i < loader.Dataset.Count; i++) sha.AppendData(Encoding.UTF8.GetBytes(loader.Dataset.PathOf(i)));
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }
}
