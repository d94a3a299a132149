using System.Text.Json;
using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Cli;

public class TrainCommandTests : IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();

    [Fact]
    public void Train_json_reports_every_epoch_and_leaves_a_checkpoint_that_resumes()
    {
        string[] common = ["train", "--strategy", "full", "--train-per-class", "3", "--val-per-class", "2", "--image-size", "32", "--out", temp.Path, "--json"];

        var result = BuildOutputs.RunCli([.. common, "--epochs", "2"]);

        Assert.True(result.ExitCode == 0, result.Tail());
        using var json = JsonDocument.Parse(result.StandardOutput);
        var epochs = json.RootElement.GetProperty("epochs").EnumerateArray().ToList();
        Assert.Equal([1, 2], epochs.Select(e => e.GetProperty("epoch").GetInt32()));
        foreach (var field in new[] { "train_loss", "val_acc", "seconds", "rss_mb", "live_tensors", "lr" })
            Assert.All(epochs, e => Assert.True(e.TryGetProperty(field, out _), field));
        Assert.Equal(epochs.Max(e => e.GetProperty("val_acc").GetDouble()), json.RootElement.GetProperty("best_val_acc").GetDouble());
        var checkpoint = json.RootElement.GetProperty("checkpoint").GetString()!;
        Assert.True(File.Exists(Path.Combine(checkpoint, "model.safetensors")));
        Assert.True(File.Exists(Path.Combine(temp.Path, "results.json")));

        var resumed = BuildOutputs.RunCli([.. common, "--epochs", "3", "--resume", temp.Path]);

        Assert.True(resumed.ExitCode == 0, resumed.Tail());
        using var again = JsonDocument.Parse(resumed.StandardOutput);
        Assert.Equal([1, 2, 3], again.RootElement.GetProperty("epochs").EnumerateArray().Select(e => e.GetProperty("epoch").GetInt32()));
    }

    [Fact]
    public void A_bad_option_value_says_what_is_accepted()
    {
        var result = BuildOutputs.RunCli("train", "--strategy", "magic", "--epochs", "1");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("scratch, frozen, finetune, full or partial:N", result.StandardOutput + result.StandardError);
    }
}
