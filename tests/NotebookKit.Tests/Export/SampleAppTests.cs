using System.Globalization;
using System.Text.RegularExpressions;
using NotebookKit.Export;
using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Export;

/// <summary>samples/classify-onnx.cs, a file-based app with only ONNX Runtime and ImageSharp, classifies as the kit does.</summary>
public partial class SampleAppTests : IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();

    static string Sample => Path.Combine(Fixtures.RepositoryRoot, "samples", "classify-onnx.cs");

    public static TheoryData<string, bool> Models() => new()
    {
        { "resnet18", false },          // RGB, ImageNet mean/std
        { "mlnet-mean-image", false },  // BGR 0..255, mean image in the graph
        { "grayscale", false },         // one channel
        { "head-hidden", true },        // uint8 input, preprocessing in the graph
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void The_sample_app_gives_the_kits_top_5_for_an_exported_model(string variant, bool includePreprocessing)
    {
        var (model, preprocessing) = ExportFixture.Build(variant);
        var onnx = ModelExport.ToOnnx(model, Path.Combine(temp.Path, "model.onnx"),
            new OnnxExportOptions { Preprocessing = preprocessing, ImageSize = ExportFixture.ImageSize, IncludePreprocessing = includePreprocessing }).Path;
        var image = TestImages.Png(Path.Combine(temp.Path, "wide.png"), 90, 60, green: 200); // colour (R != B), wider than tall, larger than the input
        using var predictor = new OnnxPredictor(onnx);
        var want = predictor.Predict([image]).Single();

        var result = ProcessRunner.Dotnet(["run", Sample, "--", onnx, image], TimeSpan.FromMinutes(5), workingDirectory: temp.Path);

        Assert.True(result.ExitCode == 0, result.Tail());
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => TopLine().Match(l)).Where(m => m.Success).ToList();
        Assert.Equal(want.Top.Take(5).Select(t => $"{t.Class} ({t.Index})"), lines.Select(m => m.Groups["name"].Value));
        foreach (var (line, expected) in lines.Zip(want.Top))
            Assert.Equal(expected.Probability * 100, double.Parse(line.Groups["percent"].Value, CultureInfo.InvariantCulture), 0.051); // printed as P1
    }

    [GeneratedRegex(@"^\s*(?<percent>[0-9.]+) %\s+(?<name>.+ \(\d+\))\s*$")]
    private static partial Regex TopLine();
}
