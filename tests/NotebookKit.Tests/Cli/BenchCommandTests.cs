using System.Text.Json;
using NotebookKit.Runtime;
using NotebookKit.Tests.Support;
using TorchSharp;

namespace NotebookKit.Tests.Cli;

/// <summary>The benchmark command runs end to end and reports its figures; it asserts no speed (benchmarks are not timed tests).</summary>
public class BenchCommandTests : IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();

    [Fact]
    public void Bench_data_reports_images_per_second_the_loader_profile_and_why_a_reference_is_missing()
    {
        for (int i = 0; i < 6; i++) TestImages.Jpeg(Path.Combine(temp.Path, i % 2 == 0 ? "a" : "b", $"{i}.jpg"), 120, 90);

        var result = BuildOutputs.RunCli("bench", "data", temp.Path, "--size", "64", "--batch-size", "4", "--epochs", "1", "--peer", Path.Combine(temp.Path, "no-peer"), "--json");

        Assert.True(result.ExitCode == 0, result.Tail());
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal(6, json.RootElement.GetProperty("images").GetInt32());
        Assert.True(json.RootElement.GetProperty("kit_images_per_second").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("ratio").ValueKind);
        Assert.Contains("no PyTorch peer", json.RootElement.GetProperty("reference_error").GetString());
        var profile = json.RootElement.GetProperty("profile");
        Assert.Equal(2, profile.GetProperty("batches").GetInt32()); // 6 images in batches of 4, one epoch timed
        double consumerMs = profile.GetProperty("consumer_cpu_ms_per_batch").GetDouble() * 2;
        Assert.InRange(consumerMs, double.Epsilon, profile.GetProperty("seconds").GetDouble() * 1000); // one thread's CPU: some, at most the wall time
        Assert.True(profile.GetProperty("allocated_kb_per_image").GetDouble() > 0);
        Assert.Equal(3, profile.GetProperty("gc_collections").GetArrayLength());
    }

    [Fact]
    public void Bench_gpu_says_no_cuda_device_and_exits_0_where_there_is_none()
    {
        TorchRuntime.Require();
        if (torch.cuda.is_available()) return; // on a GPU machine the benchmark runs instead (see the next test's rows)

        var text = BuildOutputs.RunCliIn(temp.Path, ["bench", "gpu"]);
        var json = BuildOutputs.RunCliIn(temp.Path, ["bench", "gpu", "--json"]);

        Assert.True(text.ExitCode == 0, text.Tail());
        Assert.Equal("no CUDA device", text.StandardOutput.Trim());
        Assert.True(json.ExitCode == 0, json.Tail());
        using var document = JsonDocument.Parse(json.StandardOutput);
        Assert.Equal("gpu", document.RootElement.GetProperty("benchmark").GetString());
        Assert.False(document.RootElement.GetProperty("cuda").GetBoolean());
        Assert.Equal("no CUDA device", document.RootElement.GetProperty("message").GetString());
        Assert.Empty(document.RootElement.GetProperty("rows").EnumerateArray());
    }

    /// <summary>
    /// Every row of <c>bench gpu</c>, kit and PyTorch (the shipped gpu.py under the project's PyTorch peer), run on the CPU at
    /// tiny sizes: what the GPU machine will run, checked here before it gets there.
    /// </summary>
    [Fact]
    public void Bench_gpu_runs_every_row_on_the_cpu_with_the_shipped_reference_script()
    {
        var peer = Path.Combine(Fixtures.RepositoryRoot, "..", "shared", "tools", "pytorch-peer");
        Assert.True(File.Exists(Path.Combine(BuildOutputs.CliFolder, "Bench", "reference", "gpu.py")), "gpu.py is not next to nbkit");

        var result = BuildOutputs.RunCliIn(temp.Path, ["bench", "gpu", "--device", "cpu", "--quick", "--json", .. File.Exists(peer) ? new[] { "--peer", peer } : []],
            TimeSpan.FromMinutes(10));

        Assert.True(result.ExitCode == 0, result.Tail());
        using var json = JsonDocument.Parse(result.StandardOutput);
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("key").GetString()!, r => r.Clone());
        Assert.Equal(["train_step", "eval", "trainer_host_batch", "trainer_device_batch", "pipeline_1", "pipeline_2", "pipeline_to_device", "end_to_end"], rows.Keys);
        Assert.All(rows.Values, r => Assert.True(r.GetProperty("kit_images_per_second").GetDouble() > 0, r.ToString()));
        Assert.Equal(rows["train_step"].GetProperty("kit_images_per_second").GetDouble(), rows["trainer_host_batch"].GetProperty("reference_images_per_second").GetDouble());
        foreach (var (key, row) in rows) // the pipeline rows carry the loader's profile (8 images in batches of 4: 2 batches), the others none
            if (key.StartsWith("pipeline_")) Assert.Equal(2, row.GetProperty("profile").GetProperty("batches").GetInt32());
            else Assert.Equal(JsonValueKind.Null, row.GetProperty("profile").ValueKind);
        if (!File.Exists(peer))
        {
            Assert.Contains("no PyTorch peer", json.RootElement.GetProperty("reference_error").GetString());
            return;
        }
        Assert.True(json.RootElement.GetProperty("reference_error").ValueKind == JsonValueKind.Null, json.RootElement.GetProperty("reference_error").ToString());
        Assert.StartsWith("torch ", json.RootElement.GetProperty("reference").GetString());
        foreach (var key in new[] { "train_step", "eval", "pipeline_1", "pipeline_2", "pipeline_to_device", "end_to_end" })
            Assert.True(rows[key].GetProperty("reference_images_per_second").GetDouble() > 0, key);
    }
}
