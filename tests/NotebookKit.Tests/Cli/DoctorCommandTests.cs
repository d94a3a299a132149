using System.Text.Json;
using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Cli;

public class DoctorCommandTests
{
    [Fact]
    public void Doctor_json_reports_torch_loaded_and_exits_zero()
    {
        var result = BuildOutputs.RunCli("doctor", "--json");

        Assert.True(result.ExitCode == 0, result.Tail());
        using var json = JsonDocument.Parse(result.StandardOutput);
        var torch = json.RootElement.GetProperty("torch");
        Assert.True(torch.GetProperty("loaded").GetBoolean());
        Assert.Equal("0.107.0", torch.GetProperty("version").GetString());
        Assert.False(torch.GetProperty("cuda").GetBoolean()); // no GPU build of TorchSharp is restored here
        Assert.Equal("cpu", torch.GetProperty("device").GetString());
        Assert.Equal(Environment.ProcessorCount, torch.GetProperty("threads").GetInt32());

        var libstdcxx = json.RootElement.GetProperty("libstdcxx");
        if (OperatingSystem.IsLinux())
        {
            Assert.False(string.IsNullOrEmpty(libstdcxx.GetProperty("path").GetString()));
            var states = libstdcxx.GetProperty("libraries").EnumerateArray().Select(l => l.GetProperty("state").GetString()).ToList();
            Assert.NotEmpty(states);
            Assert.All(states, s => Assert.Contains(s, new[] { "compatible", "patched", "already_patched" }));
        }
        Assert.True(json.RootElement.GetProperty("weights_cache").TryGetProperty("path", out _));
        Assert.True(json.RootElement.GetProperty("notebook_tools").GetProperty("dotnet_repl").GetBoolean());
    }

    [Fact]
    public void Doctor_prints_a_readable_table()
    {
        var result = BuildOutputs.RunCli("doctor");

        Assert.True(result.ExitCode == 0, result.Tail());
        Assert.Contains("torch", result.StandardOutput);
        Assert.Contains("loads", result.StandardOutput);
        Assert.Contains("weights cache", result.StandardOutput);
    }
}
