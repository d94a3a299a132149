namespace NotebookKit.Data;

/// <summary>What a batch holds: images for the whole network, or backbone features for the head alone.</summary>
public enum BatchContent
{
    /// <summary>N x 3 x H x W images.</summary>
    Images,
    /// <summary>N x F pooled backbone features (a feature cache).</summary>
    Features,
}

/// <summary>Anything that yields labelled batches epoch by epoch: a <see cref="DataLoader"/>, or cached features.</summary>
public interface IBatchSource
{
    /// <summary>Images or features.</summary>
    BatchContent Content { get; }

    /// <summary>Batches per epoch.</summary>
    int BatchesPerEpoch { get; }

    /// <summary>Class names.</summary>
    IReadOnlyList<string> Classes { get; }

    /// <summary>The path (or id) of a sample, for reports.</summary>
    string PathOf(int index);

    /// <summary>The batches of one epoch (dispose each).</summary>
    IEnumerable<Batch> Epoch(int epoch, CancellationToken cancellation = default);
}
