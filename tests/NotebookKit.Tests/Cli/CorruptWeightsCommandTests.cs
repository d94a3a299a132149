using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NotebookKit.Models;
using NotebookKit.Runtime;
using NotebookKit.Tests.Support;
using static TorchSharp.torch;

namespace NotebookKit.Tests.Cli;

/// <summary>
/// Issue 30, item 2, end to end: `nbkit predict` and `nbkit features` never print NaN with exit 0. Corrupt weights are
/// refused with one line naming the file; an output that is not finite is an error for that image (exit 1).
/// </summary>
public class CorruptWeightsCommandTests : IDisposable
{
    readonly TempDir temp = new();
    readonly string image;
    public void Dispose() => temp.Dispose();

    public CorruptWeightsCommandTests()
    {
        TorchRuntime.Require();
        image = TestImages.Png(Path.Combine(temp.Path, "photo.png"), 48, 40);
    }

    string Weights(string name, Action<Dictionary<string, TorchSharp.torch.Tensor>> damage)
    {
        using var model = ResNetModel.Create("resnet18", 5);
        using (no_grad()) damage(model.state_dict());
        return StateDicts.Write(model, Path.Combine(temp.Path, name));
    }

    /// <summary>Rewrites the header of a safetensors file so that tensor <paramref name="alias"/> points at <paramref name="target"/>'s bytes.</summary>
    static void Alias(string path, string alias, string target)
    {
        var bytes = File.ReadAllBytes(path);
        int length = (int)BitConverter.ToUInt64(bytes, 0);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, length))!.AsObject();
        header[alias]!["data_offsets"] = header[target]!["data_offsets"]!.DeepClone();
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        using var file = File.Create(path);
        file.Write(BitConverter.GetBytes((ulong)json.Length));
        file.Write(json);
        file.Write(bytes.AsSpan(8 + length));
    }

    public static TheoryData<string, string> Damages() => new()
    {
        { "nan", "tensor 'layer3.0.bn2.running_mean' holds 3 non-finite value(s)" },
        { "infinity", "tensor 'fc.weight' holds 1 non-finite value(s)" },
        { "overlap", "tensors 'layer1.0.bn1.bias' and 'layer1.0.bn1.weight' overlap" },
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public void Corrupt_weights_are_refused_by_predict_and_features_with_one_line_and_no_NaN(string damage, string expected)
    {
        var path = Weights($"{damage}.safetensors", state =>
        {
            if (damage == "nan") state["layer3.0.bn2.running_mean"].narrow(0, 0, 3).fill_(float.NaN);
            if (damage == "infinity") state["fc.weight"][2, 7].fill_(float.PositiveInfinity);
        });
        if (damage == "overlap") Alias(path, "layer1.0.bn1.bias", "layer1.0.bn1.weight");

        var predict = BuildOutputs.RunCli("predict", "--arch", "resnet18", "--weights", path, "--json", image);
        var features = BuildOutputs.RunCli("features", "--arch", "resnet18", "--weights", path, image);

        foreach (var result in new[] { predict, features })
        {
            Assert.Equal(2, result.ExitCode);
            var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("nbkit:"));
            Assert.StartsWith($"nbkit: {path}: ", line);
            Assert.Contains(expected, line);
        }
        Assert.DoesNotContain("NaN", features.StandardOutput); // no feature values printed
        // With --json, standard output holds only the error object (its message may name NaN), no result.
        using var error = System.Text.Json.JsonDocument.Parse(predict.StandardOutput);
        Assert.Equal(["error", "exit_code"], error.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(2, error.RootElement.GetProperty("exit_code").GetInt32());
    }

    [Fact]
    public void Finite_weights_whose_output_is_not_finite_give_an_error_and_exit_1_not_NaN()
    {
        var path = Weights("negative-variance.safetensors", state => state["layer1.1.bn2.running_var"].fill_(-1f));
        var second = TestImages.Jpeg(Path.Combine(temp.Path, "second.jpg"), 30, 50);

        var predict = BuildOutputs.RunCli("predict", "--arch", "resnet18", "--weights", path, "--json", image, second);
        var text = BuildOutputs.RunCli("predict", "--arch", "resnet18", "--weights", path, image);
        var features = BuildOutputs.RunCli("features", "--arch", "resnet18", "--weights", path, "--json", image);

        Assert.Equal(1, predict.ExitCode);
        using var json = JsonDocument.Parse(predict.StandardOutput);
        Assert.All(json.RootElement.EnumerateArray(), entry =>
        {
            Assert.Contains("the model's output is not finite", entry.GetProperty("error").GetString());
            Assert.False(entry.TryGetProperty("logits", out _));
        });
        Assert.Equal(1, text.ExitCode);
        Assert.Contains("not finite", text.StandardOutput);
        Assert.DoesNotContain("%", text.StandardOutput); // no probability line
        Assert.Equal(1, features.ExitCode);
        using var featureJson = JsonDocument.Parse(features.StandardOutput);
        Assert.False(featureJson.RootElement[0].TryGetProperty("features", out _));
        Assert.Contains("not finite", featureJson.RootElement[0].GetProperty("error").GetString());
    }
}
