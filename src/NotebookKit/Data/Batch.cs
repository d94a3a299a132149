using TorchSharp;

namespace NotebookKit.Data;

/// <summary>One batch: images (N x 3 x H x W, float32), labels (N, int64) and which samples they are.</summary>
public sealed class Batch : IDisposable
{
    /// <summary>Wraps tensors the batch then owns.</summary>
    public Batch(torch.Tensor images, torch.Tensor labels, int[] indices)
    {
        Images = images;
        Labels = labels;
        Indices = indices;
    }

    /// <summary>The images, normalized, on the loader's device (or features, for a feature cache).</summary>
    public torch.Tensor Images { get; }

    /// <summary>The labels, on the loader's device.</summary>
    public torch.Tensor Labels { get; }

    /// <summary>The dataset indices of the samples in this batch (bad files left out).</summary>
    public int[] Indices { get; }

    /// <summary>Number of samples.</summary>
    public int Count => Indices.Length;

    /// <summary>Releases both tensors.</summary>
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
