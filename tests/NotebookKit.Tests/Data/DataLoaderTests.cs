using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NotebookKit.Data;
using NotebookKit.Data.Transforms;
using NotebookKit.Runtime;
using NotebookKit.Tests.Support;
using TorchSharp;

namespace NotebookKit.Tests.Data;

public class DataLoaderTests : IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();

    static DatasetSource Fashion => EmbeddedData.FashionMnistSmall();
    static ImagePipeline Augmented => ImagePipeline.Train(32, Normalization.ImageNet);

    static List<(float Sum, long[] Labels, int[] Indices)> Run(DataLoader loader, int epoch)
    {
        var result = new List<(float, long[], int[])>();
        foreach (var batch in loader.Epoch(epoch))
            using (batch)
            using (torch.NewDisposeScope())
                result.Add((batch.Images.sum().item<float>(), batch.Labels.data<long>().ToArray(), batch.Indices));
        return result;
    }

    [Fact]
    public void Batches_have_nchw_float_images_and_int64_labels()
    {
        TorchRuntime.Require();
        var loader = new DataLoader(DatasetSplits.PerClass(Fashion.Train, 3), Augmented, new DataLoaderOptions { BatchSize = 8 });

        var shapes = new List<long[]>();
        foreach (var batch in loader.Epoch(0))
            using (batch)
            {
                shapes.Add(batch.Images.shape);
                Assert.Equal(torch.float32, batch.Images.dtype);
                Assert.Equal(torch.int64, batch.Labels.dtype);
                Assert.Equal(batch.Count, (int)batch.Labels.shape[0]);
            }

        Assert.Equal(4, loader.BatchesPerEpoch);
        Assert.Equal([[8, 3, 32, 32], [8, 3, 32, 32], [8, 3, 32, 32], [6, 3, 32, 32]], shapes);
    }

    [Fact]
    public void Same_seed_gives_identical_batches_whatever_the_worker_count()
    {
        TorchRuntime.Require();
        var data = DatasetSplits.PerClass(Fashion.Train, 4);
        var one = Run(new DataLoader(data, Augmented, new DataLoaderOptions { BatchSize = 10, Seed = 5, Workers = 1 }), epoch: 2);
        var four = Run(new DataLoader(data, Augmented, new DataLoaderOptions { BatchSize = 10, Seed = 5, Workers = 4, Prefetch = 3 }), epoch: 2);

        Assert.Equal(one.Select(b => b.Sum), four.Select(b => b.Sum));
        Assert.Equal(one.SelectMany(b => b.Indices), four.SelectMany(b => b.Indices));
    }

    [Fact]
    public void Each_epoch_has_its_own_order_and_augmentation()
    {
        TorchRuntime.Require();
        var loader = new DataLoader(DatasetSplits.PerClass(Fashion.Train, 4), Augmented, new DataLoaderOptions { BatchSize = 40, Seed = 1 });

        var first = Run(loader, 0).Single();
        var second = Run(loader, 1).Single();

        Assert.NotEqual(first.Indices, second.Indices);
        Assert.Equal(first.Indices.Order(), second.Indices.Order());
        Assert.NotEqual(first.Sum, second.Sum);
    }

    [Fact]
    public void Drop_last_and_no_shuffle()
    {
        TorchRuntime.Require();
        var loader = new DataLoader(DatasetSplits.PerClass(Fashion.Train, 3), ImagePipeline.Eval(28, 28, Normalization.None),
            new DataLoaderOptions { BatchSize = 8, DropLast = true, Shuffle = false });

        var batches = Run(loader, 0);

        Assert.Equal(3, batches.Count);
        Assert.Equal(Enumerable.Range(0, 24), batches.SelectMany(b => b.Indices));
    }

    [Fact]
    public void Eval_values_match_the_raw_pixels()
    {
        TorchRuntime.Require();
        var train = (IdxDataset)Fashion.Train;
        var loader = new DataLoader(train.Subset([0, 1]), ImagePipeline.Eval(28, 28, Normalization.None), new DataLoaderOptions { BatchSize = 2, Shuffle = false });

        using var batch = loader.Epoch(0).Single();

        var values = batch.Images.data<float>().ToArray();
        var pixels = train.Pixels(1).ToArray();
        for (int i = 0; i < 784; i += 13)
            for (int c = 0; c < 3; c++)
                Assert.Equal(pixels[i] / 255f, values[3 * 784 + c * 784 + i], 5);
    }

    [Fact]
    public void Bad_files_are_skipped_and_reported_and_the_rest_still_load()
    {
        TorchRuntime.Require();
        var root = temp.Path;
        for (int i = 0; i < 6; i++) TestImages.Jpeg(Path.Combine(root, "a", $"{i}.jpg"), 50, 40);
        for (int i = 0; i < 6; i++) TestImages.Png(Path.Combine(root, "b", $"{i}.png"), 40, 50);
        TestImages.TruncatedJpeg(Path.Combine(root, "a", "cut.jpg"));
        File.WriteAllBytes(Path.Combine(root, "a", "zero.jpg"), []);
        TestImages.Text(Path.Combine(root, "b", "page.png"), "<html>404</html>");
        TestImages.PngHeaderOnly(Path.Combine(root, "b", "bomb.png"), 60000, 60000);
        TestImages.PngCorruptData(Path.Combine(root, "b", "corrupt.png"));
        var source = Datasets.Open(root);
        var loader = new DataLoader(source.Train, ImagePipeline.Train(24, Normalization.ImageNet), new DataLoaderOptions { BatchSize = 4 });

        var seen = Run(loader, 0).Sum(b => b.Indices.Length);

        Assert.Equal(12, seen);
        Assert.Equal(
            [Path.Combine("a", "cut.jpg"), Path.Combine("a", "zero.jpg"), Path.Combine("b", "bomb.png"), Path.Combine("b", "corrupt.png"), Path.Combine("b", "page.png")],
            loader.Problems.Select(p => p.Path));
    }

    [Fact]
    public void The_throw_policy_stops_at_the_first_bad_file_by_name()
    {
        TorchRuntime.Require();
        TestImages.Png(Path.Combine(temp.Path, "a", "ok.png"));
        File.WriteAllBytes(Path.Combine(temp.Path, "a", "zero.png"), []);
        var loader = new DataLoader(Datasets.Open(temp.Path).Train, ImagePipeline.Eval(16, 16, Normalization.None),
            new DataLoaderOptions { BatchSize = 2, BadImages = BadImagePolicy.Throw });

        var e = Assert.Throws<BadImageException>(() => Run(loader, 0));
        Assert.Contains("zero.png", e.Message);
    }

    [Fact]
    public void Cancellation_stops_the_epoch()
    {
        TorchRuntime.Require();
        var loader = new DataLoader(Fashion.Train, Augmented, new DataLoaderOptions { BatchSize = 16 });
        using var cts = new CancellationTokenSource();
        int seen = 0;

        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var batch in loader.Epoch(0, cts.Token))
                using (batch)
                    if (++seen == 2) cts.Cancel();
        });
        Assert.Equal(2, seen);
    }

    [Fact]
    public void Epochs_do_not_grow_live_tensors()
    {
        TorchRuntime.Require();
        var loader = new DataLoader(DatasetSplits.PerClass(Fashion.Train, 5), Augmented, new DataLoaderOptions { BatchSize = 16, CacheDecoded = true });
        Run(loader, 0);
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        for (int epoch = 1; epoch <= 3; epoch++) Run(loader, epoch);

        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    /// <summary>Where a tensor's values start in memory.</summary>
    static nint Address(torch.Tensor tensor) => Unsafe.ByteOffset(ref Unsafe.NullRef<byte>(), ref MemoryMarshal.GetReference(tensor.bytes));

    static float[] Values(torch.Tensor tensor) => MemoryMarshal.Cast<byte, float>(tensor.bytes).ToArray();

    /// <summary>Six good JPEGs and PNGs per class with bad files among them (so some batches have gaps to close).</summary>
    ImageDataset WithBadFiles()
    {
        var root = temp.Path;
        for (int i = 0; i < 6; i++) TestImages.Jpeg(Path.Combine(root, "a", $"{i}.jpg"), 50 + i, 40);
        for (int i = 0; i < 6; i++) TestImages.Png(Path.Combine(root, "b", $"{i}.png"), 40, 50 + i);
        TestImages.TruncatedJpeg(Path.Combine(root, "a", "3cut.jpg"));
        File.WriteAllBytes(Path.Combine(root, "b", "3zero.png"), []);
        return Datasets.Open(root).Train;
    }

    [Fact]
    public void Batches_hold_exactly_what_the_pipeline_writes_for_each_sample_bad_files_closed_up()
    {
        TorchRuntime.Require();
        var data = WithBadFiles();
        var pipeline = ImagePipeline.Train(24, Normalization.ImageNet);
        var options = new DataLoaderOptions { BatchSize = 4, Seed = 3, Workers = 2 };
        using var views = new DataLoader(data, pipeline, options);
        using var copies = new DataLoader(data, pipeline, options, copyTo: torch.CPU);

        foreach (var loader in new[] { views, copies })
        {
            int batches = 0;
            foreach (var batch in loader.Epoch(1))
                using (batch)
                {
                    // The copying loader's values: each sample through the pipeline on its own, then copied into the batch.
                    var expected = new float[batch.Count * pipeline.ValuesPerImage];
                    for (int k = 0; k < batch.Count; k++)
                        pipeline.Process(data.Load(batch.Indices[k]), new Random(Seeds.Mix(options.Seed, 1, batch.Indices[k])),
                            expected.AsSpan(k * pipeline.ValuesPerImage, pipeline.ValuesPerImage));
                    Assert.Equal(expected, Values(batch.Images));
                    Assert.Equal(batch.Indices.Select(i => (long)data.LabelOf(i)), batch.Labels.data<long>().ToArray());
                    batches++;
                }
            Assert.Equal(4, batches);
            Assert.Equal(2, loader.Problems.Count);
        }
    }

    [Fact]
    public void Batch_memory_is_reused_from_batch_to_batch_and_epoch_to_epoch_not_copied()
    {
        TorchRuntime.Require();
        using var loader = new DataLoader(DatasetSplits.PerClass(Fashion.Train, 4), Augmented, new DataLoaderOptions { BatchSize = 4, Prefetch = 1, Workers = 2 });

        var addresses = new List<nint>();
        for (int epoch = 0; epoch < 2; epoch++)
            foreach (var batch in loader.Epoch(epoch))
                using (batch)
                    addresses.Add(Address(batch.Images));

        Assert.Equal(20, addresses.Count);
        Assert.InRange(addresses.Distinct().Count(), 1, 3); // Prefetch + 2 memories at most, for 20 batches
    }

    [Fact]
    public void A_batch_in_use_is_never_overwritten_by_later_batches()
    {
        TorchRuntime.Require();
        var data = DatasetSplits.PerClass(Fashion.Train, 4);
        using var loader = new DataLoader(data, Augmented, new DataLoaderOptions { BatchSize = 4, Prefetch = 1, Workers = 2, Seed = 2 });
        var expected = Run(loader, 1).Select(b => b.Sum).ToList();

        // Every batch of the epoch held at once, and every other one held across the next epoch.
        var held = loader.Epoch(1).ToList();
        var kept = held.Where((_, i) => i % 2 == 0).ToList();
        try
        {
            Assert.Equal(held.Count, held.Select(b => Address(b.Images)).Distinct().Count());
            foreach (var (batch, i) in held.Select((b, i) => (b, i)))
                if (i % 2 == 1) batch.Dispose();
            var sumsBefore = kept.Select(b => Values(b.Images).Sum()).ToList();
            Run(loader, 2);

            Assert.Equal(sumsBefore, kept.Select(b => Values(b.Images).Sum()).ToList());
            using (torch.NewDisposeScope())
                Assert.Equal(expected.Where((_, i) => i % 2 == 0), kept.Select(b => b.Images.sum().item<float>()));
        }
        finally
        {
            foreach (var batch in held) batch.Dispose();
        }
    }

    [Fact]
    public void The_device_path_hands_out_copies_and_leaves_no_tensors_behind()
    {
        TorchRuntime.Require();
        var data = DatasetSplits.PerClass(Fashion.Train, 4);
        var options = new DataLoaderOptions { BatchSize = 4, Prefetch = 1, Workers = 2, Seed = 4 };
        using var views = new DataLoader(data, Augmented, options);
        var expected = Run(views, 0).Select(b => b.Sum).ToList();
        long baseline = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var copies = new DataLoader(data, Augmented, options, copyTo: torch.CPU);

        Assert.Equal(expected, Run(copies, 0).Select(b => b.Sum));
        var held = copies.Epoch(1).ToList();
        Assert.Equal(held.Count, held.Select(b => Address(b.Images)).Distinct().Count());
        foreach (var batch in held) batch.Dispose();
        foreach (var batch in copies.Epoch(2)) { batch.Dispose(); break; } // a batch copied ahead is freed too
        copies.Dispose();

        Assert.Equal(baseline, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Disposing_the_loader_frees_its_memory_and_leaves_batches_in_use_valid()
    {
        TorchRuntime.Require();
        long baseline = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var loader = new DataLoader(DatasetSplits.PerClass(Fashion.Train, 2), Augmented, new DataLoaderOptions { BatchSize = 4, Workers = 2 });
        Run(loader, 0);
        var batch = loader.Epoch(1).First();

        loader.Dispose();

        using (torch.NewDisposeScope())
            Assert.True(float.IsFinite(batch.Images.sum().item<float>()));
        batch.Dispose();
        Assert.Equal(baseline, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.Throws<ObjectDisposedException>(() => Run(loader, 2));
    }
}
