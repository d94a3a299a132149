using System.Text.Json;
using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Experiments;

/// <summary>
/// Long runs survive: every multi-run command journals each finished run in DIR/runs.jsonl at once; a process killed with
/// SIGKILL mid-training loses at most the run in progress, and <c>--resume DIR</c> completes the rest and writes the same
/// results as an uninterrupted run. A partly written last line is dropped, not fatal.
/// </summary>
public class ResumeTests : IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();

    public static TheoryData<string, string[], int> Commands => new()
    {
        { "compare", ["compare", "--preset", "smoke", "--strategies", "frozen,finetune", "--train-per-class", "4", "--val-per-class", "3", "--epochs", "2", "--image-size", "32"], 1 },
        { "study", ["study", "--preset", "smoke", "--strategies", "frozen,finetune", "--sizes", "2,4", "--val-per-class", "3", "--epochs", "1", "--min-steps", "2", "--image-size", "32"], 2 },
        { "transferability", ["transferability", "--preset", "smoke", "--train-per-class", "4", "--val-per-class", "3", "--epochs", "1", "--depths", "1,2", "--image-size", "32"], 4 },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void A_run_killed_mid_training_resumes_to_the_results_of_an_uninterrupted_run(string name, string[] command, int killAfter)
    {
        var straightFolder = Path.Combine(temp.Path, $"{name}-straight");
        var straight = BuildOutputs.RunCli([.. command, "--out", straightFolder, "--json"]);
        Assert.True(straight.ExitCode == 0, straight.Tail());
        int total = Lines(straightFolder);

        var folder = Path.Combine(temp.Path, $"{name}-killed");
        bool killed = ProcessRunner.KillWhen("dotnet", [BuildOutputs.Cli, .. command, "--out", folder], () => Lines(folder) >= killAfter, TimeSpan.FromMinutes(5));
        Assert.True(killed, "the run ended before it could be killed");
        int kept = Lines(folder);
        Assert.InRange(kept, killAfter, total - 1); // the finished runs are there, the rest is not

        var resumed = BuildOutputs.RunCli([.. command, "--resume", folder, "--json"]);

        Assert.True(resumed.ExitCode == 0, resumed.Tail());
        Assert.Equal(total, Lines(folder));
        Assert.Equal(Results(straight.StandardOutput), Results(resumed.StandardOutput));
    }

    [Fact]
    public void A_partly_written_last_line_is_reported_dropped_and_that_run_done_again()
    {
        string[] command = ["compare", "--preset", "smoke", "--strategies", "frozen", "--train-per-class", "3", "--val-per-class", "2", "--epochs", "1", "--image-size", "32"];
        var folder = Path.Combine(temp.Path, "partial");
        var first = BuildOutputs.RunCli([.. command, "--out", folder, "--json"]);
        Assert.True(first.ExitCode == 0, first.Tail());
        var journal = Path.Combine(folder, "runs.jsonl");
        var complete = File.ReadAllText(journal);
        File.WriteAllText(journal, complete[..(complete.Length / 2)]); // a kill in the middle of writing the only line

        var resumed = BuildOutputs.RunCli([.. command, "--resume", folder, "--json"]);

        Assert.True(resumed.ExitCode == 0, resumed.Tail());
        Assert.Contains("the last line is incomplete", resumed.StandardError);
        Assert.Equal(Results(first.StandardOutput), Results(resumed.StandardOutput));
        Assert.Equal(1, Lines(folder));

        File.AppendAllText(journal, "not json\n{\"key\":\"frozen/seed=9\"}\n"); // damage in the middle is not a partial write
        var damaged = BuildOutputs.RunCli([.. command, "--resume", folder, "--json"]);
        Assert.Equal(2, damaged.ExitCode);
        Assert.Contains("line 2 is not a run record", damaged.StandardError);
    }

    [Fact]
    public void Resuming_with_other_settings_is_refused_naming_the_difference()
    {
        string[] command = ["compare", "--preset", "smoke", "--strategies", "frozen", "--train-per-class", "3", "--val-per-class", "2", "--epochs", "1", "--image-size", "32"];
        var folder = Path.Combine(temp.Path, "other");
        Assert.Equal(0, BuildOutputs.RunCli([.. command, "--out", folder, "--json"]).ExitCode);

        var changed = BuildOutputs.RunCli([.. command[..^4], "--epochs", "2", "--image-size", "32", "--resume", folder]);

        Assert.Equal(2, changed.ExitCode);
        Assert.Contains("settings.epochs: was 1, now 2", changed.StandardError);
        Assert.DoesNotContain("   at ", changed.StandardError);
    }

    static int Lines(string folder)
    {
        var journal = Path.Combine(folder, "runs.jsonl");
        if (!File.Exists(journal)) return 0;
        try { return File.ReadAllText(journal).Count(c => c == '\n'); }
        catch (IOException) { return 0; }
    }

    /// <summary>The results without timings: what must be the same whether or not the run was interrupted.</summary>
    static string Results(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var strip = new[] { "seconds", "images_per_second", "rss_mb", "live_tensors", "costs", "verdict", "crossover", "summary", "budget_policy" };
        return Without(doc.RootElement, strip);
    }

    static string Without(JsonElement element, string[] names) => element.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(",", element.EnumerateObject().Where(p => !names.Contains(p.Name)).Select(p => $"{p.Name}:{Without(p.Value, names)}")) + "}",
        JsonValueKind.Array => "[" + string.Join(",", element.EnumerateArray().Select(e => Without(e, names))) + "]",
        _ => element.GetRawText(),
    };
}
