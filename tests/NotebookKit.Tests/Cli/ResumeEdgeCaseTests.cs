using System.Diagnostics;
using System.Text.Json;
using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Cli;

/// <summary>
/// `nbkit train --resume` with damaged or mismatched checkpoints: one clear line and exit 2, never a stack trace; stale
/// temporary checkpoint folders are swept; Ctrl-C stops at a batch boundary with a consistent checkpoint and results.
/// </summary>
public class ResumeEdgeCaseTests : IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();

    static readonly string[] Tiny = ["--strategy", "scratch", "--weights", "random", "--train-per-class", "3", "--val-per-class", "2", "--image-size", "32"];

    string Trained(string name, int epochs = 1)
    {
        var folder = Path.Combine(temp.Path, name);
        var result = BuildOutputs.RunCli(["train", .. Tiny, "--epochs", epochs.ToString(), "--out", folder, "--json"]);
        Assert.True(result.ExitCode == 0, result.Tail());
        return folder;
    }

    static void AssertOneLine(ProcessResult result, int code, string expected)
    {
        Assert.Equal(code, result.ExitCode);
        Assert.Contains(expected, result.StandardError);
        Assert.DoesNotContain("   at ", result.StandardError);
        Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("nbkit:"));
    }

    [Fact]
    public void Damaged_checkpoints_and_other_settings_are_refused_with_one_line()
    {
        var good = Trained("good");
        ProcessResult Resume(string folder, params string[] extra) => BuildOutputs.RunCli(["train", .. Tiny, "--epochs", "2", .. extra, "--resume", folder, "--json"]);
        string Copy(string name)
        {
            var copy = Path.Combine(temp.Path, name);
            foreach (var file in Directory.EnumerateFiles(good, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(copy, Path.GetRelativePath(good, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
            return copy;
        }

        var empty = Copy("empty");
        File.WriteAllText(Path.Combine(empty, "last", "state.json"), "");
        AssertOneLine(Resume(empty), 2, "not a readable checkpoint state");

        var garbled = Copy("garbled");
        File.WriteAllText(Path.Combine(garbled, "last", "state.json"), "{\"epoch\": \"one\"");
        AssertOneLine(Resume(garbled), 2, "not a readable checkpoint state");

        var truncated = Copy("truncated");
        var optimizer = Path.Combine(truncated, "last", "optimizer.safetensors");
        File.WriteAllBytes(optimizer, File.ReadAllBytes(optimizer)[..100]);
        AssertOneLine(Resume(truncated), 2, "the optimizer state is unreadable");

        AssertOneLine(Resume(Copy("adamw"), "--optimizer", "adamw"), 2, "Optimizer: sgd then, adamw now");
        AssertOneLine(Resume(Copy("lr"), "--lr", "0.5"), 2, "LearningRate: 0.01 then, 0.5 now");

        var done = BuildOutputs.RunCli(["train", .. Tiny, "--epochs", "1", "--resume", Copy("done"), "--json"]);
        AssertOneLine(done, 2, "already trained for 1 of 1 epoch(s); nothing is left to resume");
    }

    [Fact]
    public void A_checkpoint_beyond_the_epochs_asked_for_is_refused_and_stale_temporaries_are_swept()
    {
        var folder = Trained("beyond", epochs: 2);
        var beyond = BuildOutputs.RunCli(["train", .. Tiny, "--epochs", "1", "--resume", folder, "--json"]);
        AssertOneLine(beyond, 2, "already trained for 2 of 1 epoch(s)");

        var stale = Path.Combine(folder, "last.writing-999999");      // left by a process that is gone
        Directory.CreateDirectory(stale);
        File.WriteAllText(Path.Combine(stale, "model.safetensors"), "half written");
        File.WriteAllText(Path.Combine(folder, "results.json.tmp-999998"), "{");
        var more = BuildOutputs.RunCli(["train", .. Tiny, "--epochs", "3", "--resume", folder, "--json"]);

        Assert.True(more.ExitCode == 0, more.Tail());
        Assert.False(Directory.Exists(stale));
        Assert.False(File.Exists(Path.Combine(folder, "results.json.tmp-999998")));
        using var json = JsonDocument.Parse(more.StandardOutput);
        Assert.Equal([1, 2, 3], json.RootElement.GetProperty("epochs").EnumerateArray().Select(e => e.GetProperty("epoch").GetInt32()));
    }

    [Fact]
    public void Fine_tuning_resumes_in_its_second_phase_from_the_command_line()
    {
        string[] finetune = ["--strategy", "finetune", "--train-per-class", "3", "--val-per-class", "2", "--image-size", "32"];
        var folder = Path.Combine(temp.Path, "finetune");
        var first = BuildOutputs.RunCli(["train", .. finetune, "--epochs", "2", "--out", folder, "--json"]);
        Assert.True(first.ExitCode == 0, first.Tail());

        var resumed = BuildOutputs.RunCli(["train", .. finetune, "--epochs", "3", "--resume", folder, "--json"]);

        Assert.True(resumed.ExitCode == 0, resumed.Tail());
        using var json = JsonDocument.Parse(resumed.StandardOutput);
        var epochs = json.RootElement.GetProperty("epochs").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3], epochs.Select(e => e.GetProperty("epoch").GetInt32()));
        Assert.Equal(["head", "unfrozen", "unfrozen"], epochs.Select(e => e.GetProperty("phase").GetString()));
    }

    [Fact]
    public async Task The_first_ctrl_c_stops_at_a_batch_with_a_consistent_checkpoint_and_says_how_to_resume()
    {
        var folder = Path.Combine(temp.Path, "interrupted");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = Fixtures.RepositoryRoot };
        foreach (var a in (string[])[BuildOutputs.Cli, "train", .. Tiny, "--epochs", "200", "--out", folder]) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        var state = Path.Combine(folder, "last", "state.json");
        var watch = Stopwatch.StartNew();
        while (!File.Exists(state) && watch.Elapsed < TimeSpan.FromMinutes(3) && !process.HasExited) Thread.Sleep(100);
        Assert.True(File.Exists(state), "no checkpoint was written");

        Signals.CtrlC(process); // SIGINT, or SIGTERM where this test runs with SIGINT ignored
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "the run did not stop");

        Assert.Equal(130, process.ExitCode);
        Assert.Contains($"stopped; resume with --resume {folder}", await stderr);
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "results.json")));
        Assert.True(results.RootElement.GetProperty("stopped").GetBoolean());
        using var checkpoint = JsonDocument.Parse(File.ReadAllText(state));
        int epochs = results.RootElement.GetProperty("epochs").GetArrayLength();
        Assert.Equal(epochs, checkpoint.RootElement.GetProperty("epoch").GetInt32()); // the results and the checkpoint agree
        Assert.InRange(epochs, 1, 199);
    }
}
