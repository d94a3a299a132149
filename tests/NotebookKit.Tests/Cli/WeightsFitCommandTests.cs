using System.Text.Json;
using NotebookKit.Models;
using NotebookKit.Models.Weights;
using NotebookKit.Runtime;
using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Cli;

/// <summary>
/// #17, class 1, where the user meets it: weights for another architecture are refused by predict, model summary,
/// train and compare; --allow-partial-weights is said in every output; imports and the cache are checked by hash.
/// Every command runs with its own NBKIT_HOME.
/// </summary>
public class WeightsFitCommandTests : IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();
    string Home => Path.Combine(temp.Path, "home");
    string Cache => Path.Combine(Home, "weights");
    ProcessResult Nbkit(params string[] arguments) => BuildOutputs.RunCliIn(Home, arguments, TimeSpan.FromMinutes(2));
    static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "models", name);

    string Resnet18File()
    {
        TorchRuntime.Require();
        using var model = ResNetModel.Create("resnet18", 1000);
        return StateDicts.Write(model, Path.Combine(temp.Path, "resnet18-mine.safetensors"));
    }

    static void AssertOneLineRefusal(ProcessResult result, params string[] expected)
    {
        Assert.True(result.ExitCode == 2, result.Tail());
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        foreach (var text in expected) Assert.Contains(text, line);
    }

    [Fact]
    public void Predict_and_model_summary_refuse_resnet18_weights_for_resnet50_naming_keys_and_cause()
    {
        var file = Resnet18File();

        var predict = Nbkit("predict", "--arch", "resnet50", "--weights", file, Fixture("gradient-256.png"));
        var summary = Nbkit("model", "summary", "--arch", "resnet50", "--weights", file, "--json");

        foreach (var result in new[] { predict, summary })
            AssertOneLineRefusal(result, file, "do not fit resnet50", "layer1.0.conv3.weight", "mis-shaped", "They look like resnet18 weights", "--allow-partial-weights");
        Assert.Empty(predict.StandardOutput.Trim());
        JsonErrors.AssertOne(summary); // --json: the refusal as the JSON error object
    }

    [Fact]
    public void Allow_partial_weights_loads_what_fits_and_says_so_on_the_console_and_in_json()
    {
        var file = Resnet18File();

        var summary = Nbkit("model", "summary", "--arch", "resnet50", "--weights", file, "--allow-partial-weights", "--json");
        var predict = Nbkit("predict", "--arch", "resnet50", "--weights", file, "--allow-partial-weights", "--json", Fixture("gradient-256.png"));

        Assert.True(summary.ExitCode == 0, summary.Tail());
        Assert.Contains("warning: partial weights (allowed)", summary.StandardError);
        using (var json = JsonDocument.Parse(summary.StandardOutput))
        {
            var partial = json.RootElement.GetProperty("partial_weights");
            Assert.True(partial.GetProperty("missing").GetInt32() > 100);
            Assert.True(partial.GetProperty("mis_shaped").GetInt32() > 0);
            Assert.StartsWith("partial weights (allowed)", partial.GetProperty("note").GetString());
        }
        Assert.True(predict.ExitCode == 0, predict.Tail());
        Assert.Contains("warning: partial weights (allowed)", predict.StandardError);
        using (var json = JsonDocument.Parse(predict.StandardOutput))
            Assert.True(json.RootElement[0].GetProperty("partial_weights").GetProperty("missing").GetInt32() > 100);

        var complete = Nbkit("model", "summary", "--arch", "resnet18", "--weights", file, "--json");
        Assert.True(complete.ExitCode == 0, complete.Tail());
        using (var json = JsonDocument.Parse(complete.StandardOutput))
            Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("partial_weights").ValueKind);
        Assert.DoesNotContain("partial", complete.StandardError);
    }

    [Fact]
    public void Train_and_compare_refuse_weights_that_do_not_fit_and_record_a_partial_load_in_their_results()
    {
        var file = Resnet18File();
        string[] small = ["--arch", "resnet34", "--weights", file, "--epochs", "1", "--image-size", "32", "--batch-size", "8", "--train-per-class", "2", "--val-per-class", "1"];

        var refused = Nbkit(["train", "--strategy", "frozen", "--out", Path.Combine(temp.Path, "train"), .. small]);
        AssertOneLineRefusal(refused, "do not fit resnet34", "layer1.2.conv1.weight", "They look like resnet18 weights");

        var trained = Nbkit(["train", "--strategy", "frozen", "--allow-partial-weights", "--out", Path.Combine(temp.Path, "train"), "--json", .. small]);
        Assert.True(trained.ExitCode == 0, trained.Tail());
        Assert.Contains("warning: partial weights (allowed)", trained.StandardError);
        using (var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(temp.Path, "train", "results.json"))))
            Assert.True(results.RootElement.GetProperty("partial_weights").GetProperty("missing").GetInt32() > 0);

        var compared = Nbkit(["compare", "--strategies", "frozen", "--seeds", "1", "--allow-partial-weights", "--out", Path.Combine(temp.Path, "compare"), "--json", .. small]);
        Assert.True(compared.ExitCode == 0, compared.Tail());
        Assert.Contains("warning: partial weights (allowed)", compared.StandardError);
        using (var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(temp.Path, "compare", "results.json"))))
        {
            Assert.StartsWith("partial weights (allowed)", results.RootElement.GetProperty("partial_weights").GetProperty("note").GetString());
            Assert.True(results.RootElement.GetProperty("settings").GetProperty("allow_partial_weights").GetBoolean());
        }
        Assert.Contains("partial weights (allowed)", File.ReadAllText(Path.Combine(temp.Path, "compare", "report.html")));
    }

    [Fact]
    public void Weights_import_refuses_incomplete_weights_and_leaves_nothing_in_the_cache()
    {
        var file = Resnet18File();
        using (var model = ResNetModel.Create("resnet18", 1000))
            StateDicts.Write(model.state_dict().Where(kv => !kv.Key.StartsWith("layer4")).ToDictionary(), Path.Combine(temp.Path, "no-layer4.safetensors"));

        var wrongArch = Nbkit("weights", "import", file, "--arch", "resnet50");
        var incomplete = Nbkit("weights", "import", Path.Combine(temp.Path, "no-layer4.safetensors"), "--arch", "resnet18");

        AssertOneLineRefusal(wrongArch, "do not fit resnet50", "They look like resnet18 weights");
        AssertOneLineRefusal(incomplete, "do not fit resnet18", "layer4.0.conv1.weight");
        Assert.True(!Directory.Exists(Cache) || Directory.GetFileSystemEntries(Cache).Length == 0, string.Join(", ", Directory.Exists(Cache) ? Directory.GetFileSystemEntries(Cache) : []));
    }

    [Fact]
    public void An_imported_file_has_its_hash_recorded_and_verify_and_use_detect_a_flipped_bit()
    {
        var file = Resnet18File();

        var imported = Nbkit("weights", "import", file, "--arch", "resnet18", "--name", "mine", "--json");
        Assert.True(imported.ExitCode == 0, imported.Tail());
        var stored = Path.Combine(Cache, "resnet18-mine.safetensors");
        Assert.NotNull(HashRecord.Read(stored));
        Assert.Contains("\"valid\": true", Nbkit("weights", "verify", "--json").StandardOutput);

        FlipOneBit(stored);

        var verify = Nbkit("weights", "verify");
        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("BAD", verify.StandardOutput);
        AssertOneLineRefusal(Nbkit("model", "summary", "--arch", "resnet18", "--weights", stored, "--json"), stored, "corrupt or was replaced");
    }

    [Fact]
    public void A_file_put_by_hand_where_the_offline_message_says_is_checked_against_its_sha256_on_first_use_and_by_verify()
    {
        Directory.CreateDirectory(Cache);
        var placed = Path.Combine(Cache, "resnet18-f37072fd.pth"); // torchvision's name for resnet18 tv-imagenet1k-v1
        File.Copy(Resnet18File(), placed);

        var use = Nbkit("model", "summary", "--arch", "resnet18", "--weights", "tv-imagenet1k-v1", "--json");
        var verify = Nbkit("weights", "verify", "--json");

        AssertOneLineRefusal(use, placed, "does not match sha256:f37072fd", "download https://download.pytorch.org/models/resnet18-f37072fd.pth again");
        Assert.Equal(1, verify.ExitCode);
        using var json = JsonDocument.Parse(verify.StandardOutput);
        Assert.False(json.RootElement.EnumerateArray().Single(r => r.GetProperty("key").GetString() == "resnet18/tv-imagenet1k-v1").GetProperty("valid").GetBoolean());
    }

    [Fact]
    public void The_imported_offline_imagenet_weights_are_checked_on_first_use_after_a_bit_flip_or_a_truncation()
    {
        var fetched = Nbkit("weights", "fetch", "--arch", "resnet18", "--weights", "mlnet-imagenet", "--json");
        Assert.True(fetched.ExitCode == 0, fetched.Tail());
        var cached = Path.Combine(Cache, "resnet18-2223-mlnet-imagenet.safetensors");
        Assert.True(Nbkit("model", "summary", "--json").ExitCode == 0);

        FlipOneBit(cached);
        AssertOneLineRefusal(Nbkit("model", "summary", "--json"), cached, "does not match", "as recorded when it was imported");
        var verify = Nbkit("weights", "verify");
        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("BAD", verify.StandardOutput);

        FlipOneBit(cached); // back to the imported bytes: accepted again
        Assert.True(Nbkit("model", "summary", "--json").ExitCode == 0);
        using (var stream = new FileStream(cached, FileMode.Open)) stream.SetLength(stream.Length / 2);
        AssertOneLineRefusal(Nbkit("model", "summary", "--json"), cached, "does not match");
    }

    static void FlipOneBit(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = stream.Length / 2;
        int value = stream.ReadByte();
        stream.Position = stream.Length / 2;
        stream.WriteByte((byte)(value ^ 0x01));
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(1)); // a flip within the same clock tick must still show
    }
}
