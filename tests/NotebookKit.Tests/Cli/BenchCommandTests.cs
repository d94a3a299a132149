using System.Text.Json;
using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Cli;

/// <summary>The benchmark command runs end to end and reports its figures; it asserts no speed (benchmarks are not timed tests).</summary>
public class BenchCommandTests : IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();

    [Fact]
    public void Bench_data_reports_images_per_second_and_why_a_reference_is_missing()
    {
        for (int i = 0; i < 6; i++) TestImages.Jpeg(Path.Combine(temp.Path, i % 2 == 0 ? "a" : "b", $"{i}.jpg"), 120, 90);

        var result = BuildOutputs.RunCli("bench", "data", temp.Path, "--size", "64", "--batch-size", "4", "--epochs", "1", "--peer", Path.Combine(temp.Path, "no-peer"), "--json");

        Assert.True(result.ExitCode == 0, result.Tail());
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal(6, json.RootElement.GetProperty("images").GetInt32());
        Assert.True(json.RootElement.GetProperty("kit_images_per_second").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("ratio").ValueKind);
        Assert.Contains("no PyTorch peer", json.RootElement.GetProperty("reference_error").GetString());
    }
}
