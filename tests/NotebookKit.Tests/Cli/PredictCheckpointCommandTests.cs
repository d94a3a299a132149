using System.Text.Json;
using NotebookKit.Data;
using NotebookKit.Models;
using NotebookKit.Tests.Support;
using SixLabors.ImageSharp;

namespace NotebookKit.Tests.Cli;

/// <summary>
/// Issue 30, item 3: `predict --checkpoint RUN` feeds the model as it was trained (the run's model.json: image size,
/// preprocessing, class names), so it agrees with `predict --onnx` of the run's export; bare --weights say what they assume.
/// </summary>
public class PredictCheckpointCommandTests(TrainedRun run) : IClassFixture<TrainedRun>, IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();

    /// <summary>The fixture's sneaker and three more validation images of other classes, as PNG files.</summary>
    string[] Images()
    {
        var fashion = EmbeddedData.FashionMnistSmall().Validation!;
        var more = new[] { 0, 3, 9 }.Select(label =>
        {
            var path = Path.Combine(temp.Path, $"label-{label}.png");
            using var image = fashion.Load(Enumerable.Range(0, fashion.Count).First(i => fashion.LabelOf(i) == label));
            image.SaveAsPng(path);
            return path;
        });
        return [run.Image, .. more];
    }

    static JsonDocument Json(ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, result.Tail());
        return JsonDocument.Parse(result.StandardOutput);
    }

    [Theory]
    [InlineData("")]
    [InlineData("last")]
    public void Predict_with_the_checkpoint_agrees_with_predict_onnx_of_its_export(string within)
    {
        var checkpoint = within == "" ? run.Folder : Path.Combine(run.Folder, within);
        var model = Path.Combine(temp.Path, "model.onnx");
        var images = Images();
        Assert.True(BuildOutputs.RunCli("export", "--checkpoint", checkpoint, "--out", model) is { ExitCode: 0 } export, "export failed");

        using var torch = Json(BuildOutputs.RunCli(["predict", "--checkpoint", checkpoint, "--top", "10", "--json", .. images]));
        using var onnx = Json(BuildOutputs.RunCli(["predict", "--onnx", model, "--top", "10", "--json", .. images]));

        var fromTorch = torch.RootElement.EnumerateArray().ToList();
        var fromOnnx = onnx.RootElement.EnumerateArray().ToList();
        Assert.Equal(images.Length, fromTorch.Count);
        for (int i = 0; i < images.Length; i++)
        {
            var a = fromTorch[i].GetProperty("top").EnumerateArray().ToList();
            var b = fromOnnx[i].GetProperty("top").EnumerateArray().ToList();
            Assert.Equal(b.Select(t => t.GetProperty("class").GetString()), a.Select(t => t.GetProperty("class").GetString()));
            Assert.Contains(a[0].GetProperty("class").GetString(), EmbeddedData.FashionMnistClasses); // names, not indices
            double worst = a.Zip(b, (x, y) => Math.Abs(x.GetProperty("prob").GetDouble() - y.GetProperty("prob").GetDouble())).Max();
            Assert.True(worst <= 1e-4, $"{images[i]}: probabilities differ by {worst:G3}");
            var (p, q) = (fromTorch[i].GetProperty("preprocessing"), fromOnnx[i].GetProperty("preprocessing"));
            Assert.Equal(32, p.GetProperty("image_size").GetInt32()); // the run's size, not the architecture's 224
            foreach (var field in new[] { "resize_size", "image_size", "channel_order", "scale", "mean", "std" })
                Assert.Equal(q.GetProperty(field).GetRawText(), p.GetProperty(field).GetRawText());
            Assert.False(p.GetProperty("assumed").GetBoolean());
        }
    }

    [Fact]
    public void Features_take_the_checkpoint_too_and_at_the_runs_size()
    {
        using var features = Json(BuildOutputs.RunCli("features", "--checkpoint", run.Folder, "--json", run.Image));

        var entry = features.RootElement[0];
        Assert.Equal(512, entry.GetProperty("features").GetArrayLength());
        Assert.Equal(32, entry.GetProperty("preprocessing").GetProperty("image_size").GetInt32());
    }

    [Fact]
    public void Bare_weights_say_which_preprocessing_they_assume_and_point_at_the_checkpoint()
    {
        var weights = Path.Combine(run.Folder, "best.safetensors");

        var text = BuildOutputs.RunCli("predict", "--arch", "resnet18-2223", "--weights", weights, run.Image);
        var json = BuildOutputs.RunCli("predict", "--arch", "resnet18-2223", "--weights", weights, "--json", run.Image);

        Assert.True(text.ExitCode == 0, text.Tail());
        var note = Assert.Single(text.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("nbkit:")); // libtorch may add its own warnings
        Assert.StartsWith("nbkit: note: preprocessing resize 256, centre crop 224", note);
        Assert.Contains($"assumed for the bare weights file {weights}", note);
        Assert.Contains($"use --checkpoint {run.Folder}", note);
        using var parsed = Json(json);
        var preprocessing = parsed.RootElement[0].GetProperty("preprocessing");
        Assert.True(preprocessing.GetProperty("assumed").GetBoolean());
        Assert.Equal(224, preprocessing.GetProperty("image_size").GetInt32());
        Assert.Equal("BGR", preprocessing.GetProperty("channel_order").GetString()); // a mean image: ML.NET's convention
    }

    [Fact]
    public void Checkpoint_and_weights_together_are_refused()
    {
        var result = BuildOutputs.RunCli("predict", "--checkpoint", run.Folder, "--weights", "random", run.Image);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("both name weights; give one", result.StandardError);
    }

    [Theory]
    [InlineData("predict")]
    [InlineData("features")]
    [InlineData("export")]
    [InlineData("train")]
    [InlineData("model summary")]
    public void Arch_help_lists_every_architecture_of_the_registry(string command)
    {
        var help = BuildOutputs.RunCli([.. command.Split(' '), "--help"]);

        Assert.Equal(0, help.ExitCode);
        var archLine = string.Join(" ", help.StandardOutput.Split('\n').SkipWhile(l => !l.Contains("--arch")).Take(3));
        foreach (var architecture in ResNetArchitecture.All)
            Assert.Contains(architecture.Name, archLine);
    }
}
