using System.IO.Compression;
using System.Security.Cryptography;
using NotebookKit.Downloads;
using NotebookKit.Models;
using NotebookKit.Models.Weights;
using NotebookKit.Runtime;
using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Models;

public class WeightsRegistryTests : IDisposable
{
    readonly TempDir temp = new();
    readonly LoopbackServer server = new();
    public void Dispose() { server.Dispose(); temp.Dispose(); }

    [Fact]
    public void Torchvision_entries_carry_their_file_hash_prefix_accuracy_and_preprocessing()
    {
        var v2 = WeightsRegistry.Find("resnet50", "tv-imagenet1k-v2");
        var v1 = WeightsRegistry.Find("resnet50", "tv-imagenet1k-v1");

        Assert.Equal("https://download.pytorch.org/models/resnet50-11ad3fa6.pth", v2.Source.Describe());
        Assert.Equal(Checksum.Sha256("11ad3fa6"), v2.Checksum);
        Assert.True(v2.Checksum.IsPrefix);
        Assert.Equal(80.858, v2.Top1);
        Assert.Equal((232, 224), (v2.Preprocessing.ResizeSize, v2.Preprocessing.CropSize));
        Assert.Equal(76.130, v1.Top1);
        Assert.Equal(256, v1.Preprocessing.ResizeSize);
        Assert.Equal(1000, v1.NumClasses);
        Assert.Equal("tench", v1.Categories![0]);
        Assert.Equal("toilet tissue", v1.Categories[999]);
        Assert.All(WeightsRegistry.All, w => ResNetArchitecture.Find(w.Architecture));
    }

    [Fact]
    public void Unknown_weights_list_what_exists_for_the_architecture()
    {
        var e = Assert.Throws<ArgumentException>(() => WeightsRegistry.Find("resnet18", "tv-imagenet1k-v2"));
        Assert.Contains("tv-imagenet1k-v1", e.Message);
        Assert.Contains("mlnet-imagenet", e.Message);
        Assert.Same(WeightsRegistry.MlNetImageNet, WeightsRegistry.Find("resnet18", "mlnet-imagenet"));
    }

    [Fact]
    public async Task Url_weights_download_into_the_cache_and_a_wrong_hash_is_refused()
    {
        TorchRuntime.Require();
        using var model = ResNetModel.Create("resnet18", 1000);
        var file = StateDicts.Write(model, Path.Combine(temp.Path, "src", "resnet18-x.pth"));
        var bytes = File.ReadAllBytes(file);
        var prefix = Convert.ToHexStringLower(SHA256.HashData(bytes))[..8];
        var good = WeightsRegistry.Find("resnet18", "tv-imagenet1k-v1") with { Source = new UrlSource(server.Serve($"resnet18-{prefix}.pth", bytes)), Checksum = Checksum.Sha256(prefix) };
        var bad = good with { Name = "bad", Source = new UrlSource(server.Serve("resnet18-00000000.pth", bytes)), Checksum = Checksum.Sha256("00000000") };
        var store = new WeightsStore(Path.Combine(temp.Path, "cache"));

        var path = await store.EnsureAsync(good);
        var loaded = Pretrained.Load("resnet18", path, numClasses: 5);

        Assert.Equal(bytes, File.ReadAllBytes(path));
        Assert.True(store.Verify(good).Valid);
        Assert.True(loaded.Report.SkippedHead);
        Assert.Equal(5, loaded.Model.NumClasses);
        var e = await Assert.ThrowsAsync<DownloadException>(() => store.EnsureAsync(bad));
        Assert.Contains("checksum mismatch", e.Message);
        Assert.False(store.IsCached(bad));
    }

    [Fact]
    public void A_pickle_that_calls_a_function_is_refused_and_nothing_runs()
    {
        var marker = Path.Combine(temp.Path, "pwned");
        var command = $"touch {marker}";
        // protocol 2: os.system(command) via GLOBAL + REDUCE, the classic malicious checkpoint
        var pickle = new List<byte> { 0x80, 0x02 };
        pickle.AddRange("cos\nsystem\n"u8.ToArray());
        pickle.Add((byte)'X');
        pickle.AddRange(BitConverter.GetBytes(command.Length));
        pickle.AddRange(System.Text.Encoding.ASCII.GetBytes(command));
        pickle.AddRange([0x85, (byte)'R', (byte)'.']);
        var path = Path.Combine(temp.Path, "evil.pth");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using (var s = zip.CreateEntry("archive/data.pkl").Open()) s.Write(pickle.ToArray());
            using (var s = zip.CreateEntry("archive/version").Open()) s.Write("3\n"u8);
        }

        var e = Assert.Throws<WeightsFormatException>(() => StateDicts.Read(path));

        Assert.Contains("evil.pth", e.Message);
        Thread.Sleep(200);
        Assert.False(File.Exists(marker), "the pickle's function must never run");
    }
}
