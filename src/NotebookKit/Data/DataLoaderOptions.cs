using TorchSharp;

namespace NotebookKit.Data;

/// <summary>How a <see cref="DataLoader"/> batches, shuffles and decodes. Every default is stated here.</summary>
public sealed record DataLoaderOptions
{
    /// <summary>Images per batch. Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Shuffle the order each epoch (seeded by <see cref="Seed"/> and the epoch). Default true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Seed for the order and for augmentation. Same seed, same batches. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Drop a last batch smaller than <see cref="BatchSize"/>. Default false.</summary>
    public bool DropLast { get; init; }

    /// <summary>Decoding threads. Default: the number of CPU cores.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Batches prepared ahead of the one being consumed (each holds one batch of host memory). Default 2.</summary>
    public int Prefetch { get; init; } = 2;

    /// <summary>Keep decoded images in memory after the first epoch (for tiny datasets only). Default false.</summary>
    public bool CacheDecoded { get; init; }

    /// <summary>What to do with a file that cannot be decoded. Default: skip it and report it.</summary>
    public BadImagePolicy BadImages { get; init; } = BadImagePolicy.SkipAndReport;

    /// <summary>Size limits checked before decoding. Default <see cref="ImageLimits.Default"/>.</summary>
    public ImageLimits Limits { get; init; } = ImageLimits.Default;

    /// <summary>
    /// Where batches go. Default: the CPU (batches are views of the loader's reused memory). On CUDA, workers write into
    /// pinned memory and each batch's copy is issued without blocking, one batch ahead of the consumer.
    /// </summary>
    public torch.Device? Device { get; init; }
}

/// <summary>What a loader does with a file it cannot decode.</summary>
public enum BadImagePolicy
{
    /// <summary>Leave it out of its batch and add it to <see cref="DataLoader.Problems"/> (the default).</summary>
    SkipAndReport,
    /// <summary>Stop with a <see cref="BadImageException"/> naming the file.</summary>
    Throw,
}
