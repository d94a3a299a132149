using System.Text.Json;
using NotebookKit.Data;
using NotebookKit.Models.Weights;
using NotebookKit.Tests.Support;
using SixLabors.ImageSharp;
using static TorchSharp.torch;

namespace NotebookKit.Tests.Cli;

/// <summary>One tiny training run (`nbkit train --out`), shared by the export tests.</summary>
public sealed class TrainedRun : IDisposable
{
    readonly TempDir temp = new();
    public string Folder => temp.Path;
    public string Image { get; }

    public TrainedRun()
    {
        var result = BuildOutputs.RunCli("train", "--strategy", "frozen", "--epochs", "1", "--train-per-class", "2", "--val-per-class", "1", "--image-size", "32", "--out", Folder, "--json");
        if (result.ExitCode != 0) throw new InvalidOperationException(result.Tail());
        Image = Path.Combine(Folder, "sneaker.png");
        var fashion = EmbeddedData.FashionMnistSmall().Validation!;
        int sneaker = Enumerable.Range(0, fashion.Count).First(i => fashion.LabelOf(i) == 7);
        using var image = fashion.Load(sneaker);
        image.SaveAsPng(Image);
    }

    public void Dispose() => temp.Dispose();
}

public class ExportCommandTests(TrainedRun run) : IClassFixture<TrainedRun>, IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();

    [Fact]
    public void Train_then_export_then_predict_onnx_gives_the_checkpoints_torchsharp_logits_in_predicts_json_shape()
    {
        var model = Path.Combine(temp.Path, "model.onnx");

        var export = BuildOutputs.RunCli("export", "--checkpoint", run.Folder, "--format", "onnx", "--out", model, "--json");
        var onnx = BuildOutputs.RunCli("predict", "--onnx", model, "--top", "3", "--json", run.Image);
        var torch = BuildOutputs.RunCli("predict", "--arch", "resnet18-2223", "--weights", Path.Combine(run.Folder, "best.safetensors"), "--top", "3", "--json", run.Image);

        Assert.True(export.ExitCode == 0, export.Tail());
        using var exported = JsonDocument.Parse(export.StandardOutput);
        Assert.True(exported.RootElement.GetProperty("check").GetProperty("agrees").GetBoolean());
        Assert.Contains("\"Ankle boot\"", exported.RootElement.GetProperty("metadata").GetProperty("classes").GetString());
        Assert.True(onnx.ExitCode == 0, onnx.Tail());
        Assert.True(torch.ExitCode == 0, torch.Tail());
        using var fromOnnx = JsonDocument.Parse(onnx.StandardOutput);
        using var fromTorch = JsonDocument.Parse(torch.StandardOutput);
        var image = fromOnnx.RootElement.EnumerateArray().Single();
        Assert.Equal(Shape(fromTorch.RootElement), Shape(fromOnnx.RootElement)); // the same JSON as `predict`
        Assert.Equal(3, image.GetProperty("top").GetArrayLength());
        Assert.Equal(EmbeddedData.FashionMnistClasses[image.GetProperty("top")[0].GetProperty("index").GetInt32()], image.GetProperty("top")[0].GetProperty("class").GetString());

        var logits = image.GetProperty("logits").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        var want = TorchSharpLogits(Path.Combine(run.Folder, "best.safetensors"), run.Image);
        double worst = want.Zip(logits, (a, b) => Math.Abs(a - b)).Max(), scale = want.Max(Math.Abs);
        Assert.True(worst <= 1e-4 * scale, $"ONNX Runtime logits differ from TorchSharp's by {worst:G3} (scale {scale:G3})");
    }

    [Fact]
    public void With_the_preprocessing_in_the_graph_predict_onnx_gives_the_same_logits()
    {
        string plain = Path.Combine(temp.Path, "plain.onnx"), baked = Path.Combine(temp.Path, "baked.onnx");

        var first = BuildOutputs.RunCli("export", "--checkpoint", Path.Combine(run.Folder, "last"), "--out", plain);
        var second = BuildOutputs.RunCli("export", "--checkpoint", Path.Combine(run.Folder, "last", "model.safetensors"), "--out", baked, "--include-preprocessing", "--opset", "17");

        Assert.True(first.ExitCode == 0, first.Tail());
        Assert.True(second.ExitCode == 0, second.Tail());
        Assert.Contains("check: ONNX Runtime vs TorchSharp", second.StandardOutput);
        var a = Logits(BuildOutputs.RunCli("predict", "--onnx", plain, "--json", run.Image));
        var b = Logits(BuildOutputs.RunCli("predict", "--onnx", baked, "--json", run.Image));
        Assert.True(a.Zip(b, (x, y) => Math.Abs(x - y)).Max() <= 1e-4 * a.Max(Math.Abs));
    }

    public static TheoryData<string, string> BadInputs() => new()
    {
        { "not-a-model", "not a ResNet checkpoint" },
        { "results-json", "unknown weights format '.json'" },
        { "architecture-mismatch", "Architecture mismatch" },
        { "unwritable", "cannot write the ONNX file" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_input_is_one_line_that_names_the_problem_exit_2_and_no_file(string problem, string expected)
    {
        var output = problem == "unwritable"
            ? Path.Combine(TestImages.Text(Path.Combine(temp.Path, "a-file"), "x"), "model.onnx") // a "folder" that is a file
            : Path.Combine(temp.Path, "model.onnx");
        string[] arguments = problem switch
        {
            "not-a-model" => ["--checkpoint", NotAResNet()],
            "results-json" => ["--checkpoint", Path.Combine(run.Folder, "results.json")],
            "architecture-mismatch" => ["--checkpoint", run.Folder, "--arch", "resnet50"],
            _ => ["--checkpoint", run.Folder],
        };

        var result = BuildOutputs.RunCli(["export", "--out", output, .. arguments]);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("nbkit: ", line);
        Assert.Contains(expected, line);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp", SearchOption.AllDirectories));
    }

    string NotAResNet()
    {
        var path = Path.Combine(temp.Path, "encoder.safetensors");
        TorchSharp.PyBridge.Safetensors.SaveStateDict(path, new Dictionary<string, Tensor> { ["encoder.weight"] = ones(2, 2) });
        return path;
    }

    static float[] TorchSharpLogits(string weights, string imagePath)
    {
        var pretrained = Pretrained.Load("resnet18-2223", weights); // mlnet-imagenet's [2,2,2,3] network
        using var model = pretrained.Model;
        model.eval();
        var pipeline = WeightsRegistry.MlNetImageNet.Preprocessing.Eval(32); // what the run trained with (mlnet-imagenet, 32 px)
        var buffer = new float[pipeline.ValuesPerImage];
        pipeline.Process(ImageFile.Load(imagePath), new Random(0), buffer);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return model.forward(tensor(buffer, [1, 3, 32, 32])).data<float>().ToArray();
    }

    static float[] Logits(ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, result.Tail());
        using var json = JsonDocument.Parse(result.StandardOutput);
        return json.RootElement[0].GetProperty("logits").EnumerateArray().Select(v => v.GetSingle()).ToArray();
    }

    /// <summary>The JSON's structure: property names and value kinds, recursively (arrays by their first element).</summary>
    static string Shape(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(",", element.EnumerateObject().Select(p => $"{p.Name}:{Shape(p.Value)}")) + "}",
        JsonValueKind.Array => "[" + (element.GetArrayLength() > 0 ? Shape(element[0]) : "") + "]",
        JsonValueKind.True or JsonValueKind.False => "Boolean", // a shape, not a value
        _ => element.ValueKind.ToString(),
    };
}
