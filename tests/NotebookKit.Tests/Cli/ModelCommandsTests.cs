using System.Text.Json;
using NotebookKit.Models;
using NotebookKit.Runtime;
using NotebookKit.Tests.Models;
using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Cli;

public class ModelCommandsTests : IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();
    static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "models", name);

    [Fact]
    public void Predict_gives_pytorchs_logits_for_a_pth_checkpoint_with_torchvisions_preprocessing()
    {
        TorchRuntime.Require();
        using var expected = JsonDocument.Parse(File.ReadAllText(Fixture("predict-resnet50-formula.json")));
        using (var model = ResNetModel.Create("resnet50"))
        {
            PytorchEquivalenceTests.FillWithFormula(model);
            StateDicts.Write(model, Path.Combine(temp.Path, "resnet50-formula.pth"));
        }

        var result = BuildOutputs.RunCli("predict", "--arch", "resnet50", "--weights", Path.Combine(temp.Path, "resnet50-formula.pth"), "--top", "5", "--json", Fixture("gradient-256.png"));

        Assert.True(result.ExitCode == 0, result.Tail());
        using var json = JsonDocument.Parse(result.StandardOutput);
        var image = json.RootElement.EnumerateArray().Single();
        var logits = image.GetProperty("logits").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        var want = expected.RootElement.GetProperty("logits").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        double scale = want.Max(Math.Abs), worst = want.Zip(logits, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= 1e-4 * scale, $"largest logit difference {worst:G4} vs scale {scale:G4}");
        Assert.Equal(expected.RootElement.GetProperty("top5").EnumerateArray().Select(v => v.GetInt32()),
            image.GetProperty("top").EnumerateArray().Select(t => t.GetProperty("index").GetInt32()));
        var first = image.GetProperty("top")[0];
        Assert.Equal(first.GetProperty("index").GetInt32().ToString(), first.GetProperty("class").GetString()); // a bare file has no category names
        double softmax = Math.Exp(logits[first.GetProperty("index").GetInt32()] - logits.Max()) / logits.Sum(l => Math.Exp(l - logits.Max()));
        Assert.Equal(softmax, first.GetProperty("prob").GetDouble(), 6);
    }

    [Fact]
    public void Features_with_the_offline_imagenet_weights_are_512_numbers_per_image_and_bad_files_are_named()
    {
        TestImages.Jpeg(Path.Combine(temp.Path, "photo.jpg"), 300, 200);
        File.WriteAllBytes(Path.Combine(temp.Path, "empty.jpg"), []);

        var result = BuildOutputs.RunCli("features", "--arch", "resnet18", "--weights", "mlnet-imagenet", "--json",
            Path.Combine(temp.Path, "photo.jpg"), Path.Combine(temp.Path, "empty.jpg"));

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.StandardOutput);
        var rows = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(512, rows[0].GetProperty("features").GetArrayLength());
        Assert.True(rows[0].GetProperty("features").EnumerateArray().All(v => v.GetSingle() >= 0)); // after ReLU + average pooling
        Assert.Contains("empty file", rows[1].GetProperty("error").GetString());
    }

    [Fact]
    public void Predict_refuses_weights_without_a_classifier()
    {
        TestImages.Jpeg(Path.Combine(temp.Path, "photo.jpg"));
        var result = BuildOutputs.RunCli("predict", "--arch", "resnet18", "--weights", "mlnet-imagenet", Path.Combine(temp.Path, "photo.jpg"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no classifier", result.StandardError);
    }

    [Fact]
    public void Model_summary_json_has_stages_and_the_flops()
    {
        var result = BuildOutputs.RunCli("model", "summary", "--arch", "resnet50", "--weights", "random", "--json");

        Assert.True(result.ExitCode == 0, result.Tail());
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal(25_557_032, json.RootElement.GetProperty("parameters").GetInt64());
        Assert.Equal(["stem", "layer1", "layer2", "layer3", "layer4", "head"], json.RootElement.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Equal(4.09, Math.Round(json.RootElement.GetProperty("multiply_adds").GetInt64() / 1e9, 2));
    }

    [Fact]
    public void Weights_list_shows_the_registry()
    {
        var result = BuildOutputs.RunCli("weights", "list", "--json");

        Assert.True(result.ExitCode == 0, result.Tail());
        using var json = JsonDocument.Parse(result.StandardOutput);
        var names = json.RootElement.EnumerateArray().Select(w => $"{w.GetProperty("architecture").GetString()}/{w.GetProperty("name").GetString()}").ToList();
        Assert.Contains("resnet50/tv-imagenet1k-v2", names);
        Assert.Contains("resnet18/mlnet-imagenet", names);
    }
}
