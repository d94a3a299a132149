using TorchSharp;

namespace NotebookKit.Data;

/// <summary>
/// One batch: images (N x 3 x H x W, float32), labels (N, int64) and which samples they are.
/// Its tensors are valid until the batch is disposed: a <see cref="DataLoader"/> then reuses their memory for a later
/// batch, so clone what you keep beyond it.
/// </summary>
public sealed class Batch : IDisposable
{
    readonly Action? release;
    int disposed;

    /// <summary>Wraps tensors the batch then owns.</summary>
    public Batch(torch.Tensor images, torch.Tensor labels, int[] indices) : this(images, labels, indices, null) { }

    /// <summary>Wraps tensors the batch owns; <paramref name="release"/> runs once, after they are disposed.</summary>
    internal Batch(torch.Tensor images, torch.Tensor labels, int[] indices, Action? release)
    {
        Images = images;
        Labels = labels;
        Indices = indices;
        this.release = release;
    }

    /// <summary>The images, normalized, on the loader's device (or features, for a feature cache).</summary>
    public torch.Tensor Images { get; }

    /// <summary>The labels, on the loader's device.</summary>
    public torch.Tensor Labels { get; }

    /// <summary>The dataset indices of the samples in this batch (bad files left out).</summary>
    public int[] Indices { get; }

    /// <summary>Number of samples.</summary>
    public int Count => Indices.Length;

    /// <summary>Releases both tensors and hands the batch's memory back to its loader.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        Images.Dispose();
        Labels.Dispose();
        release?.Invoke();
    }
}
