using System.Text.Json.Nodes;
using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Cli;

/// <summary>Issue 30, item 10, end to end: `nbkit train --resume` refuses a damaged state.json before training anything.</summary>
public class CheckpointStateCommandTests : IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();

    static readonly string[] Tiny = ["--strategy", "scratch", "--weights", "random", "--train-per-class", "3", "--val-per-class", "2", "--image-size", "32"];

    [Fact]
    public void A_negative_epoch_or_a_clock_past_its_epochs_is_refused_and_nothing_trains()
    {
        var folder = Path.Combine(temp.Path, "run");
        var trained = BuildOutputs.RunCli(["train", .. Tiny, "--epochs", "1", "--out", folder, "--json"]);
        Assert.True(trained.ExitCode == 0, trained.Tail());
        var state = Path.Combine(folder, "last", "state.json");
        var sound = File.ReadAllText(state);

        string Damage(string field, JsonNode value)
        {
            var json = JsonNode.Parse(sound)!.AsObject();
            json[field] = value;
            File.WriteAllText(state, json.ToJsonString());
            return json.ToJsonString();
        }

        var damaged = Damage("epoch", -5);
        var negative = BuildOutputs.RunCli(["train", .. Tiny, "--epochs", "2", "--resume", folder, "--json"]);
        var afterwards = File.ReadAllText(state);
        Damage("step", 1_000_000);
        var clock = BuildOutputs.RunCli(["train", .. Tiny, "--epochs", "2", "--resume", folder, "--json"]);

        Assert.Equal(2, negative.ExitCode);
        var line = Assert.Single(negative.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("nbkit:"));
        Assert.StartsWith($"nbkit: {state}: epoch is -5", line);
        Assert.Contains("start without --resume", line);
        Assert.Equal(damaged, afterwards); // nothing trained, nothing rewritten
        Assert.Equal(2, clock.ExitCode);
        Assert.Contains("step is 1000000, more than the 1 epoch(s)", clock.StandardError);
    }

    [Fact]
    public void Non_finite_optimizer_state_is_refused_naming_the_tensor()
    {
        NotebookKit.Runtime.TorchRuntime.Require();
        var folder = Path.Combine(temp.Path, "run");
        var trained = BuildOutputs.RunCli(["train", .. Tiny, "--epochs", "1", "--out", folder, "--json"]);
        Assert.True(trained.ExitCode == 0, trained.Tail());
        var optimizer = Path.Combine(folder, "last", "optimizer.safetensors");
        var state = TorchSharp.PyBridge.Safetensors.LoadStateDict(optimizer);
        var name = state.Keys.Where(k => !k.EndsWith(".step", StringComparison.Ordinal)).Order(StringComparer.Ordinal).First();
        state[name].view(-1)[0].fill_(float.NaN);
        TorchSharp.PyBridge.Safetensors.SaveStateDict(optimizer, state);

        var resumed = BuildOutputs.RunCli(["train", .. Tiny, "--epochs", "2", "--resume", folder, "--json"]);

        Assert.Equal(2, resumed.ExitCode);
        var line = Assert.Single(resumed.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("nbkit:"));
        Assert.StartsWith($"nbkit: {optimizer}: optimizer state '{name}' holds 1 non-finite value(s)", line);
        Assert.Contains("start afresh without --resume", line);
    }
}
