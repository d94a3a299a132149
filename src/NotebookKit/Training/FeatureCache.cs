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
    readonly int[] samples; // the dataset index of each cached row: the samples that decoded
    readonly ImageDataset dataset;

    FeatureCache(Tensor features, long[] labels, int[] samples, ImageDataset dataset, IReadOnlyList<DataProblem> problems, int batchSize, bool shuffle, int seed)
    {
        this.features = features;
        this.labels = labels;
        this.samples = samples;
        this.dataset = dataset;
        Problems = problems;
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
    /// <summary>Number of samples cached: the dataset's, less those that could not be decoded.</summary>
    public int Count => labels.Length;
    /// <summary>The files left out because they could not be decoded (as a <see cref="DataLoader"/> skips them), with the reason.</summary>
    public IReadOnlyList<DataProblem> Problems { get; }
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
    /// A file that cannot be decoded is left out and listed in <see cref="Problems"/>, as the loader does when training
    /// without the cache: one broken image never stops a run.
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
            var storedLabels = stored["labels"].data<long>().ToArray();
            var storedSamples = stored.TryGetValue("samples", out var s) ? s.data<long>().Select(i => (int)i).ToArray() : Enumerable.Range(0, storedLabels.Length).ToArray();
            var left = Enumerable.Range(0, loader.Dataset.Count).Except(storedSamples)
                .Select(i => new DataProblem(loader.Dataset.PathOf(i), "could not be decoded when the features were cached: left out")).ToList();
            foreach (var (name, t) in stored) if (name != "features") t.Dispose(); // copied out above
            return new FeatureCache(stored["features"], storedLabels, storedSamples, loader.Dataset, left, batchSize, shuffle, seed);
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
        var decoded = Enumerable.Range(0, parts.Length).Where(i => parts[i] is not null).ToArray();
        if (decoded.Length == 0)
            throw new DatasetException($"{loader.Dataset.Name}: none of its {parts.Length} images could be decoded ({string.Join("; ", loader.Problems.Take(3))}). Run `nbkit data inspect` on it.");
        var all = stack(decoded.Select(i => parts[i]).ToArray());
        foreach (var i in decoded) parts[i].Dispose();
        var kept = decoded.Select(i => labels[i]).ToArray();
        if (file is not null)
        {
            Directory.CreateDirectory(cacheFolder!);
            using var labelTensor = tensor(kept);
            using var sampleTensor = tensor(decoded.Select(i => (long)i).ToArray());
            TorchSharp.PyBridge.Safetensors.SaveStateDict(file + ".tmp", new Dictionary<string, Tensor> { ["features"] = all, ["labels"] = labelTensor, ["samples"] = sampleTensor });
            File.Move(file + ".tmp", file, overwrite: true);
        }
        return new FeatureCache(all, kept, decoded, loader.Dataset, loader.Problems, batchSize, shuffle, seed);
    }

    /// <inheritdoc/>
    public IEnumerable<Batch> Epoch(int epoch, CancellationToken cancellation = default)
    {
        var order = DataLoader.Order(Count, Shuffle, Seed, epoch);
        foreach (var chunk in order.Chunk(BatchSize))
        {
            cancellation.ThrowIfCancellationRequested();
            using var index = tensor(chunk.Select(i => (long)i).ToArray());
            // A batch's indices are the dataset's, as a loader's are (PathOf, reports of wrong images).
            yield return new Batch(features.index_select(0, index), tensor(chunk.Select(i => labels[i]).ToArray()), chunk.Select(i => samples[i]).ToArray());
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
