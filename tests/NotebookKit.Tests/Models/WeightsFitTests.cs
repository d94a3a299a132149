using System.Security.Cryptography;
using NotebookKit.Downloads;
using NotebookKit.Models;
using NotebookKit.Models.Weights;
using NotebookKit.Runtime;
using NotebookKit.Tests.Support;
using static TorchSharp.torch;

namespace NotebookKit.Tests.Models;

/// <summary>Weights that do not fit are refused by name, unless a partial load is asked for (#17, class 1).</summary>
public class WeightsFitTests : IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();
    public WeightsFitTests() => TorchRuntime.Require();

    string Resnet18File(string name = "r18.safetensors")
    {
        using var model = ResNetModel.Create("resnet18", 1000);
        return StateDicts.Write(model, Path.Combine(temp.Path, name));
    }

    [Theory]
    [InlineData("resnet18")]
    [InlineData("resnet18-2223")]
    [InlineData("resnet50")]
    public void The_architectures_key_list_is_the_models_own(string architecture)
    {
        using var model = ResNetModel.Create(architecture, 7);
        var own = model.state_dict().Keys.Where(k => !k.EndsWith("num_batches_tracked", StringComparison.Ordinal));

        Assert.Equal(own.Order(StringComparer.Ordinal), ResNetArchitecture.Find(architecture).StateDictKeys().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Resnet18_weights_into_resnet50_are_refused_before_anything_is_copied_naming_keys_and_the_likely_cause()
    {
        var file = Resnet18File();
        using var model = ResNetModel.Create("resnet50", 1000);
        using var before = model.state_dict()["conv1.weight"].clone();

        var e = Assert.Throws<IncompleteWeightsException>(() => StateDicts.LoadInto(model, file));

        Assert.StartsWith(file + ": these weights do not fit resnet50", e.Message);
        Assert.Contains("layer1.0.conv3.weight", e.Message); // missing
        Assert.Contains("mis-shaped (layer1.0.conv1.weight [64x64x3x3] vs model [64x64x1x1]", e.Message);
        Assert.Contains("They look like resnet18 weights (100 of resnet18's 100 backbone keys present): use --arch resnet18", e.Message);
        Assert.Contains("--allow-partial-weights", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.True(e.Report.Mismatched.Count > 0);
        Assert.True(Tensors.Same(before, model.state_dict()["conv1.weight"]), "a refused load changes nothing");
    }

    [Fact]
    public void Allow_partial_copies_what_fits_and_the_report_says_what_did_not()
    {
        var file = Resnet18File();
        using var source = ResNetModel.Create("resnet18", 1000);
        StateDicts.LoadInto(source, file);
        using var model = ResNetModel.Create("resnet34", 1000);

        var report = StateDicts.LoadInto(model, file, allowPartial: true);

        Assert.False(report.Complete);
        Assert.Contains("layer1.2.conv1.weight", report.MissingThatMatter);
        Assert.Empty(report.Mismatched);
        Assert.StartsWith("partial weights (allowed)", report.PartialNote);
        Assert.True(Tensors.Same(source.state_dict()["layer4.1.conv2.weight"], model.state_dict()["layer4.1.conv2.weight"]));
        Assert.Throws<IncompleteWeightsException>(() => Pretrained.Load("resnet34", file));
        var partial = Pretrained.Load("resnet34", file, allowPartial: true);
        using (partial.Model) Assert.False(partial.Report.Complete);
    }

    [Fact]
    public void Keys_under_a_wrapper_prefix_and_a_file_missing_most_keys_are_explained()
    {
        using var model = ResNetModel.Create("resnet18", 10);
        var prefixed = model.state_dict().ToDictionary(kv => "model." + kv.Key, kv => kv.Value);
        var e = Assert.Throws<IncompleteWeightsException>(() => StateDicts.LoadInto(model, prefixed));
        Assert.Contains("start with 'model.'", e.Message);

        var stemOnly = model.state_dict().Where(kv => kv.Key.StartsWith("conv1") || kv.Key.StartsWith("bn1")).ToDictionary();
        var few = Assert.Throws<IncompleteWeightsException>(() => StateDicts.LoadInto(model, stemOnly));
        Assert.Contains("missing (layer1.0.conv1.weight", few.Message);
        Assert.Contains("match none of the kit's ResNets", few.Message);
    }

    [Fact]
    public void A_backbone_without_a_head_loads_completely_with_a_new_head()
    {
        using var model = ResNetModel.Create("resnet18", 1000);
        var backbone = model.state_dict().Where(kv => !kv.Key.StartsWith("fc.")).ToDictionary();
        using var mine = ResNetModel.Create("resnet18", 5);

        var report = StateDicts.LoadInto(mine, backbone);

        Assert.True(report.Complete, report.ToString());
        Assert.True(report.SkippedHead);
        Assert.Null(report.PartialNote);
    }

    [Fact]
    public async Task A_cached_download_is_hashed_on_first_use_and_a_changed_or_truncated_file_is_refused_and_kept()
    {
        using var server = new LoopbackServer();
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var entry = WeightsRegistry.Find("resnet18", "tv-imagenet1k-v1") with { Source = new UrlSource(server.Serve($"resnet18-{hash[..8]}.pth", bytes)), Checksum = Checksum.Sha256(hash[..8]) };
        var store = new WeightsStore(Path.Combine(temp.Path, "cache"));
        var path = store.PathOf(entry);

        Assert.Equal(path, await store.EnsureAsync(entry));
        Assert.Equal(hash, HashRecord.Read(path)!.Sha256);

        var flipped = bytes.ToArray();
        flipped[1234] ^= 0x10;
        File.WriteAllBytes(path, flipped); // same size, new time
        var e = await Assert.ThrowsAsync<WeightsFormatException>(() => store.EnsureAsync(entry));
        Assert.Contains($"{path}: SHA-256", e.Message);
        Assert.Contains("does not match sha256:" + hash[..8], e.Message);
        Assert.Contains("nbkit weights fetch --arch resnet18 --weights tv-imagenet1k-v1", e.Message);
        Assert.False(store.Verify(entry).Valid);
        Assert.True(File.Exists(path), "a file that fails its check is left for the user to look at");

        File.WriteAllBytes(path, bytes[..1000]);
        await Assert.ThrowsAsync<WeightsFormatException>(() => store.EnsureAsync(entry));

        File.WriteAllBytes(path, bytes); // put back by hand, with no record
        File.Delete(HashRecord.PathFor(path));
        Assert.Equal(path, await store.EnsureAsync(entry));
        Assert.True(HashRecord.Read(path)!.Describes(path));
        Assert.True(store.Verify(entry).Valid);
    }
}
