using NotebookKit.Data;
using NotebookKit.Data.Transforms;
using NotebookKit.Runtime;

namespace NotebookKit.Cli.Bench;

/// <summary>Images/s of the kit's training input pipeline (decode + RandomResizedCrop + flip + normalize + batch).</summary>
static class DataBenchmark
{
    public sealed record Result(string Folder, int Images, int Size, int BatchSize, int Workers, double KitImagesPerSecond,
        double? PytorchImagesPerSecond, string? Reference, string? ReferenceError, LoaderProfile Profile)
    {
        public double? Ratio => PytorchImagesPerSecond is { } p && p > 0 ? KitImagesPerSecond / p : null;
    }

    public static Result Run(string folder, int size, int batchSize, int workers, int epochs, string? peer)
    {
        TorchRuntime.Require();
        var source = Datasets.Open(folder);
        using var loader = new DataLoader(source.Train, ImagePipeline.Train(size, Normalization.ImageNet),
            new DataLoaderOptions { BatchSize = batchSize, Workers = workers, Seed = 0 });
        LoaderProfile.Drain(loader, 0); // warm-up: JIT, page cache
        var profile = LoaderProfile.Measure(loader, firstEpoch: 1, epochs);
        double kit = profile.Images / profile.Seconds;

        if (peer is null) return new Result(folder, source.Train.Count, size, batchSize, workers, kit, null, null, "no PyTorch peer found (--peer, NBKIT_PYTORCH_PEER)", profile);
        try
        {
            var reference = PytorchPeer.Run(peer, "data_loader.py",
                [folder, size.ToString(), batchSize.ToString(), workers.ToString(), epochs.ToString()], TimeSpan.FromMinutes(20));
            return new Result(folder, source.Train.Count, size, batchSize, workers, kit, reference.GetProperty("images_per_second").GetDouble(),
                $"torch {reference.GetProperty("torch").GetString()}, torchvision {reference.GetProperty("torchvision").GetString()}, DataLoader(num_workers={workers})", null, profile);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            return new Result(folder, source.Train.Count, size, batchSize, workers, kit, null, null, e.Message, profile);
        }
    }
}
