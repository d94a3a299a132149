using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using NotebookKit.Downloads;
using NotebookKit.Models;
using NotebookKit.Models.Weights;
using NotebookKit.Runtime;
using NotebookKit.Tests.Support;
using static TorchSharp.torch;

namespace NotebookKit.Tests.Models;

/// <summary>
/// Issue 30, item 2: corrupt weights never turn into results. Malformed safetensors headers, non-finite values and bit rot
/// in the cache are refused by name; a model whose output is not finite gives an error, not NaN.
/// </summary>
public class CorruptWeightsTests : IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();
    public CorruptWeightsTests() => TorchRuntime.Require();

    /// <summary>A safetensors file written by hand: an 8-byte header length, the header, then <paramref name="dataBytes"/> bytes.</summary>
    string Handmade(string name, JsonObject header, int dataBytes)
    {
        var path = Path.Combine(temp.Path, name);
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        using var file = File.Create(path);
        file.Write(BitConverter.GetBytes((ulong)json.Length));
        file.Write(json);
        file.Write(new byte[dataBytes]);
        return path;
    }

    static JsonObject Tensor(string dtype, long[] shape, long begin, long end) => new()
    {
        ["dtype"] = dtype, ["shape"] = new JsonArray(shape.Select(s => (JsonNode)s).ToArray()), ["data_offsets"] = new JsonArray(begin, end),
    };

    /// <summary>Two F32 tensors, a [2x2] at bytes 0..16 and b [3] at 16..28, then the change under test.</summary>
    public static TheoryData<string, string> BrokenHeaders() => new()
    {
        { "overlap", "overlap" },
        { "out-of-bounds", "outside the 28-byte data buffer" },
        { "size-mismatch", "needs 16 bytes but its data_offsets" },
        { "hole", "belong to no tensor" },
        { "trailing-bytes", "the tensors cover 28 of the 36 data bytes" },
        { "unknown-dtype", "has dtype \"F33\"" },
        { "negative-size", "sizes must be whole numbers of 0 or more" },
        { "reversed-offsets", "data_offsets [16, 4]" },
        { "text-offsets", "has no data_offsets [begin, end]" },
    };

    [Theory]
    [MemberData(nameof(BrokenHeaders))]
    public void A_safetensors_header_that_breaks_the_format_is_refused_naming_the_file_and_the_tensor(string problem, string expected)
    {
        var a = Tensor("F32", [2, 2], 0, 16);
        var b = Tensor("F32", [3], 16, 28);
        int data = 28;
        switch (problem)
        {
            case "overlap": b = Tensor("F32", [3], 4, 16); data = 16; break;
            case "out-of-bounds": b = Tensor("F32", [3], 24, 36); break;
            case "size-mismatch": a = Tensor("F32", [2, 2], 0, 12); b = Tensor("F32", [3], 12, 28); break;
            case "hole": a = Tensor("F32", [2], 0, 8); break;
            case "trailing-bytes": data = 36; break;
            case "unknown-dtype": b["dtype"] = "F33"; break;
            case "negative-size": b["shape"] = new JsonArray(-3); break;
            case "reversed-offsets": b["data_offsets"] = new JsonArray(16, 4); break;
            case "text-offsets": b["data_offsets"] = new JsonArray("16", "28"); break;
        }
        var path = Handmade($"{problem}.safetensors", new JsonObject { ["__metadata__"] = new JsonObject { ["format"] = "pt" }, ["a"] = a, ["b"] = b }, data);

        var e = Assert.Throws<WeightsFormatException>(() => StateDicts.Read(path));

        Assert.StartsWith($"{path}: not a valid safetensors file", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.Contains("download, export or train it again", e.Message);
    }

    [Fact]
    public void The_check_accepts_what_the_kit_writes_and_a_well_formed_handmade_file()
    {
        using var model = ResNetModel.Create("resnet18", 3);
        var written = StateDicts.Write(model, Path.Combine(temp.Path, "r18.safetensors"));
        var handmade = Handmade("ok.safetensors", new JsonObject { ["c"] = Tensor("I64", [1], 16, 24), ["a"] = Tensor("F32", [2, 2], 0, 16) }, 24);
        var empty = Handmade("empty-tensor.safetensors", new JsonObject { ["a"] = Tensor("F32", [2, 2], 0, 16), ["b"] = Tensor("I64", [0, 5], 16, 16), ["c"] = Tensor("U8", [3], 16, 19) }, 19);

        var entries = SafetensorsHeader.Check(written);
        var state = StateDicts.Read(handmade);

        Assert.Equal(model.state_dict().Count, entries.Count);
        Assert.Equal(["a", "c"], state.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(3, SafetensorsHeader.Check(empty).Count);
        foreach (var t in state.Values) t.Dispose();
    }

    [Theory]
    [InlineData(".safetensors", "nan")]
    [InlineData(".safetensors", "inf")]
    [InlineData(".pth", "-inf")]
    public void Non_finite_weights_are_refused_on_load_naming_the_tensor_and_the_file(string extension, string value)
    {
        using var model = ResNetModel.Create("resnet18", 4);
        var bad = value switch { "nan" => float.NaN, "inf" => float.PositiveInfinity, _ => float.NegativeInfinity };
        using (no_grad()) model.state_dict()["layer2.1.conv2.weight"][0, 0, 1, 1].fill_(bad);
        var path = StateDicts.Write(model, Path.Combine(temp.Path, "damaged" + extension));

        var read = Assert.Throws<WeightsFormatException>(() => StateDicts.Read(path));
        var load = Assert.Throws<WeightsFormatException>(() => Pretrained.Load("resnet18", path));

        Assert.Contains($"{path}: tensor 'layer2.1.conv2.weight' holds 1 non-finite value(s)", read.Message);
        Assert.Equal(read.Message, load.Message);
    }

    [Fact]
    public void A_dat_file_with_nan_is_refused_and_the_model_keeps_its_own_weights()
    {
        using var source = ResNetModel.Create("resnet18", 4);
        using (no_grad()) source.state_dict()["bn1.weight"].fill_(float.NaN);
        var path = Path.Combine(temp.Path, "damaged.dat");
        source.save(path);
        using var target = ResNetModel.Create("resnet18", 4);
        using var before = target.state_dict()["bn1.weight"].clone();

        var e = Assert.Throws<WeightsFormatException>(() => StateDicts.LoadInto(target, path));

        Assert.Contains("tensor 'bn1.weight' holds 64 non-finite value(s)", e.Message);
        Assert.True(target.state_dict()["bn1.weight"].allclose(before), "the model keeps its own weights");
    }

    [Fact]
    public void A_model_whose_output_is_not_finite_gives_an_error_entry_never_a_result()
    {
        using var model = ResNetModel.Create("resnet18", 4);
        using (no_grad()) model.state_dict()["bn1.running_var"].fill_(-1f); // finite weights, NaN outputs: sqrt of a negative variance
        var image = TestImages.Png(Path.Combine(temp.Path, "a.png"), 40, 40);
        var predictor = new Predictor(model, Preprocessing.ImageNetDefault, imageSize: 32);

        var prediction = predictor.Predict(image);
        var features = predictor.Features(image);

        Assert.Null(prediction.Values);
        Assert.Empty(prediction.Top);
        Assert.Contains("the model's output is not finite (4 of 4 values", prediction.Error);
        Assert.Null(features.Values);
        Assert.Contains("not finite", features.Error);
        Assert.Null(Predictor.NonFinite([1f, -2f, 0f]));
        Assert.NotNull(Predictor.NonFinite([1f, float.PositiveInfinity]));
    }

    /// <summary>Flips one byte of <paramref name="path"/> in place, keeping its size and modification time.</summary>
    static void Rot(string path, int offset)
    {
        var time = File.GetLastWriteTimeUtc(path);
        using (var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Position = offset;
            int b = file.ReadByte();
            file.Position = offset;
            file.WriteByte((byte)(b ^ 0x04));
        }
        File.SetLastWriteTimeUtc(path, time);
    }

    [Theory]
    [InlineData(17)]
    [InlineData(299_999)]
    public async Task Bit_rot_in_a_cached_download_is_found_although_size_and_time_are_unchanged(int offset)
    {
        using var server = new LoopbackServer();
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var entry = WeightsRegistry.Find("resnet18", "tv-imagenet1k-v1") with { Source = new UrlSource(server.Serve($"resnet18-{hash[..8]}.pth", bytes)), Checksum = Checksum.Sha256(hash[..8]) };
        var store = new WeightsStore(Path.Combine(temp.Path, "cache"));
        var path = await store.EnsureAsync(entry);
        var record = HashRecord.Read(path)!;

        Rot(path, offset);
        var e = await Assert.ThrowsAsync<WeightsFormatException>(() => store.EnsureAsync(entry));

        Assert.True(record.Describes(path), "the flip kept size and time: the old rule trusted the record");
        Assert.Contains($"{path}: SHA-256", e.Message);
        Assert.Contains("the file is corrupt", e.Message);
        Assert.Contains("nbkit weights fetch --arch resnet18 --weights tv-imagenet1k-v1", e.Message);
        Assert.Equal(300_000, new FileInfo(path).Length); // refused, not deleted: nothing is lost
    }

    [Fact]
    public void Bit_rot_in_a_stored_file_used_by_path_is_refused()
    {
        using var model = ResNetModel.Create("resnet18", 4);
        var path = StateDicts.Write(model, Path.Combine(temp.Path, "stored.safetensors"));
        HashRecord.Compute(path).WriteFor(path); // as `nbkit weights import` stores it
        Pretrained.Load("resnet18", path).Model.Dispose();

        Rot(path, (int)new FileInfo(path).Length - 100); // in the data: still a valid file with finite values, maybe
        var e = Assert.Throws<WeightsFormatException>(() => Pretrained.Load("resnet18", path));

        Assert.Contains($"{path}: its SHA-256 is", e.Message);
        Assert.Contains("import or fetch it again", e.Message);
    }

    [Fact]
    public void A_record_spares_the_hash_only_for_a_large_file_verified_within_the_week()
    {
        string small = Path.Combine(temp.Path, "small.bin"), large = Path.Combine(temp.Path, "large.bin");
        File.WriteAllBytes(small, new byte[1000]);
        using (var file = File.Create(large)) file.SetLength(HashRecord.AlwaysHashBytes + 4096); // sparse: cheap to make
        var smallRecord = HashRecord.Compute(small);
        var largeRecord = HashRecord.Compute(large);
        var now = DateTime.UtcNow;

        Assert.False(smallRecord.Vouches(small, now), "a small file is hashed on every use");
        Assert.True(largeRecord.Vouches(large, now));
        Assert.True(largeRecord.Vouches(large, now + TimeSpan.FromDays(6)));
        Assert.False(largeRecord.Vouches(large, now + HashRecord.MaxAge), "a week-old record is hashed again");
        Assert.False((largeRecord with { VerifiedTicks = 0 }).Vouches(large, now), "a record from before verification times were kept");
        Assert.False((largeRecord with { VerifiedTicks = (now + TimeSpan.FromDays(1)).Ticks }).Vouches(large, now), "a record from the future");
        File.SetLastWriteTimeUtc(large, DateTime.UtcNow.AddMinutes(-5));
        Assert.False(largeRecord.Vouches(large, now), "a changed time is hashed again");
    }
}
