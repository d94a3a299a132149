using System.Diagnostics;
using System.Text.Json;
using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Cli;

/// <summary>
/// A second Ctrl-C quits at once, cleanly: exit 130, no crash (it once ended in a segmentation fault, or in a native
/// libtorch error reported as "a bug in nbkit", because the normal exit tore libtorch down under a running call), and
/// the journal whole, line by line. The second signal comes at several delays after the first, so it lands in different
/// places: during the batch the first one waits for, during a native call, between runs.
/// </summary>
public class SecondInterruptTests : IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();

    static readonly string[] Tiny = ["--weights", "random", "--train-per-class", "4", "--val-per-class", "2"];

    [Theory]
    [InlineData(0)]
    [InlineData(50)]
    [InlineData(150)]
    [InlineData(300)]
    [InlineData(1000)]
    public async Task A_second_ctrl_c_during_compare_quits_with_130_and_leaves_the_journal_whole(int secondAfterMs)
    {
        var folder = Path.Combine(temp.Path, $"compare-{secondAfterMs}");
        var journal = Path.Combine(folder, "runs.jsonl");
        var (code, stdout, stderr) = await InterruptTwice(
            ["compare", "--strategies", "scratch,finetune", "--seeds", "50", "--epochs", "2", .. Tiny, "--image-size", "32", "--out", folder, "--json"],
            () => File.Exists(journal) && new FileInfo(journal).Length > 0, secondAfterMs);

        AssertQuitCleanly(code, stderr);
        var lines = File.ReadAllText(journal).Split('\n');
        Assert.Equal("", lines[^1]); // ends with a newline: no torn last line
        Assert.All(lines[..^1], line => Assert.NotNull(JsonDocument.Parse(line).RootElement.GetProperty("key").GetString()));
        // --json: exactly one JSON object on standard output, the error, with the exit code.
        using var error = JsonDocument.Parse(stdout);
        Assert.Equal(130, error.RootElement.GetProperty("exit_code").GetInt32());
        Assert.Contains(error.RootElement.GetProperty("error").GetString(), (string[])["quit.", $"stopped; resume with --resume {folder}"]);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(100)]
    [InlineData(300)]
    [InlineData(700)]
    public async Task A_second_ctrl_c_during_train_quits_with_130(int secondAfterMs)
    {
        var folder = Path.Combine(temp.Path, $"train-{secondAfterMs}");
        var (code, _, stderr) = await InterruptTwice(
            ["train", "--strategy", "scratch", "--epochs", "200", .. Tiny, "--image-size", "64", "--out", folder],
            () => File.Exists(Path.Combine(folder, "last", "state.json")), secondAfterMs);

        AssertQuitCleanly(code, stderr);
    }

    static void AssertQuitCleanly(int code, string stderr)
    {
        Assert.True(code == 130, $"exit {code}; stderr:\n{stderr}");
        Assert.DoesNotContain("bug in nbkit", stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.DoesNotContain("Exception", stderr);
        Assert.DoesNotContain("libtorch", stderr);
        Assert.Contains("nbkit: stopping at the end of this batch", stderr);
    }

    /// <summary>Starts nbkit, waits for <paramref name="started"/>, sends Ctrl-C, then another after <paramref name="secondAfterMs"/>.</summary>
    static async Task<(int Code, string Stdout, string Stderr)> InterruptTwice(string[] arguments, Func<bool> started, int secondAfterMs)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = Fixtures.RepositoryRoot };
        foreach (var a in (string[])[BuildOutputs.Cli, .. arguments]) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var watch = Stopwatch.StartNew();
        while (!started() && watch.Elapsed < TimeSpan.FromMinutes(3) && !process.HasExited) Thread.Sleep(50);
        if (!started())
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            Assert.Fail($"the run did not start: {await stderr}");
        }
        Thread.Sleep(200); // into the next run's training

        Signals.CtrlC(process);
        Thread.Sleep(secondAfterMs);
        if (!process.HasExited) Signals.CtrlC(process);
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the run did not quit");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
