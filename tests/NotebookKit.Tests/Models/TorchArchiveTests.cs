using System.Diagnostics;
using System.IO.Compression;
using NotebookKit.Models;
using NotebookKit.Runtime;
using NotebookKit.Tests.Support;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace NotebookKit.Tests.Models;

/// <summary>#17, class 11: a small .pth must not inflate to gigabytes before it is refused.</summary>
public class TorchArchiveTests : IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();
    static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "models", name);

    /// <summary>A .pth whose data.pkl inflates to <paramref name="megabytes"/> MB of one repeated byte (about 1000:1).</summary>
    string PickleBomb(int megabytes = 200)
    {
        var path = Path.Combine(temp.Path, "bomb.pth");
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using (var s = zip.CreateEntry("archive/data.pkl", CompressionLevel.SmallestSize).Open())
        {
            s.Write([0x80, 0x02, 0x5d]); // PROTO 2, EMPTY_LIST, then MEMOIZE forever: objects that would fill the memory
            var block = new byte[1 << 20];
            Array.Fill(block, (byte)0x94);
            for (int i = 0; i < megabytes; i++) s.Write(block);
        }
        using (var s = zip.CreateEntry("archive/version").Open()) s.Write("3\n"u8);
        return path;
    }

    [Fact]
    public void A_pickle_bomb_is_refused_at_once_in_little_memory_naming_the_file()
    {
        var bomb = PickleBomb();
        Assert.InRange(new FileInfo(bomb).Length, 1, 1_000_000);

        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        var e = Assert.Throws<WeightsFormatException>(() => StateDicts.Read(bomb));
        watch.Stop();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

        Assert.StartsWith($"{bomb}: refused: its pickle member archive/data.pkl inflates to", e.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        Assert.True(allocated < 8_000_000, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void A_header_that_understates_the_pickle_does_not_get_past_the_count()
    {
        var bomb = PickleBomb(40);
        // Rewrite data.pkl's uncompressed size in the local and central headers to 1 KB: the reader must count, not believe.
        var bytes = File.ReadAllBytes(bomb);
        long actual;
        using (var zip = ZipFile.OpenRead(bomb)) actual = zip.GetEntry("archive/data.pkl")!.Length;
        var size = BitConverter.GetBytes((uint)actual);
        int patched = 0;
        for (int i = 0; i + 4 <= bytes.Length; i++)
            if (bytes.AsSpan(i, 4).SequenceEqual(size)) { BitConverter.GetBytes(1024u).CopyTo(bytes, i); patched++; }
        Assert.Equal(2, patched);
        File.WriteAllBytes(bomb, bytes);

        var watch = Stopwatch.StartNew();
        var e = Assert.ThrowsAny<KitException>(() => StateDicts.Read(bomb));

        Assert.Contains(bomb, e.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }

    [Fact]
    public void A_tensor_member_shorter_than_its_storage_or_inflating_far_beyond_its_size_is_refused()
    {
        TorchRuntime.Require();
        var good = Path.Combine(temp.Path, "good.pth");
        using (var w = randn(1000))
            PyTorchPickler.PickleStateDict(good, new Dictionary<string, Tensor> { ["w"] = w });
        TorchArchive.Check(good);

        var cut = Path.Combine(temp.Path, "cut.pth");
        using (var source = ZipFile.OpenRead(good))
        using (var target = ZipFile.Open(cut, ZipArchiveMode.Create))
            foreach (var entry in source.Entries)
            {
                using var input = entry.Open();
                var content = new MemoryStream();
                input.CopyTo(content);
                var data = entry.FullName.EndsWith("data/0") ? content.ToArray()[..1000] : content.ToArray();
                using var output = target.CreateEntry(entry.FullName).Open();
                output.Write(data);
            }
        var e = Assert.Throws<WeightsFormatException>(() => StateDicts.Read(cut));
        Assert.Contains("holds 1,000 bytes but its storage declares 4,000", e.Message);

        // 96 MB of zeros deflate to about 100 KB: no weights compress like that.
        var zeros = Path.Combine(temp.Path, "zeros.pth");
        using (var z = TorchSharp.torch.zeros(24L << 20))
            PyTorchPickler.PickleStateDict(zeros, new Dictionary<string, Tensor> { ["w"] = z });
        var ratio = Assert.Throws<WeightsFormatException>(() => StateDicts.Read(zeros));
        Assert.Contains("more than 32x", ratio.Message);
    }

    [Fact]
    public void Files_written_by_pytorch_and_by_the_kit_pass()
    {
        TorchArchive.Check(Fixture("resnet50-stem-layer1.pth")); // torch.save, PyTorch 1.13: members stored
        TorchRuntime.Require();
        using var model = ResNetModel.Create("resnet18", 10);
        TorchArchive.Check(StateDicts.Write(model, Path.Combine(temp.Path, "mine.pth"))); // PyBridge: members deflated
    }

    [Fact]
    public void Predict_refuses_a_pickle_bomb_with_one_line_quickly()
    {
        var bomb = PickleBomb();

        var watch = Stopwatch.StartNew();
        var result = BuildOutputs.RunCliIn(Path.Combine(temp.Path, "home"), ["predict", "--arch", "resnet18", "--weights", bomb, Fixture("gradient-256.png")], TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 2, result.Tail());
        Assert.Contains($"{bomb}: refused", Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }
}
