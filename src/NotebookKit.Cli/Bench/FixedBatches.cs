using NotebookKit.Data;
using static TorchSharp.torch;

namespace NotebookKit.Cli.Bench;

/// <summary>A source that yields the same batch again and again (so only the step is measured); the caller keeps the tensors.</summary>
sealed class FixedBatches(Tensor images, Tensor labels, int count, int classes = 10) : IBatchSource
{
    public BatchContent Content => BatchContent.Images;
    public int BatchesPerEpoch => count;
    public IReadOnlyList<string> Classes { get; } = Enumerable.Range(0, classes).Select(i => i.ToString()).ToList();
    public string PathOf(int index) => $"#{index}";
    public IEnumerable<Batch> Epoch(int epoch, CancellationToken cancellation = default)
    {
        for (int i = 0; i < count; i++) yield return new Batch(images.alias(), labels.alias(), Enumerable.Range(0, (int)labels.shape[0]).ToArray());
    }
}
