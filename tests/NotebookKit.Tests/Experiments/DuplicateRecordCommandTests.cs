using System.Text.Json.Nodes;
using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Experiments;

/// <summary>
/// `--resume` of a journal holding a second, different record of a finished run (the case: a second
/// `frozen/seed=0` line with another accuracy) is refused in one line naming the file, both lines and the fix, for every
/// command that keeps a journal; the injected value never reaches results.json. The same record twice resumes.
/// </summary>
public class DuplicateRecordCommandTests : IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();

    public static TheoryData<string, string[], string, string> Commands => new()
    {
        { "compare", ["compare", "--strategies", "frozen", "--seeds", "2", "--train-per-class", "3", "--val-per-class", "2", "--epochs", "1", "--image-size", "32"], "evaluation", "results.json" },
        { "study", ["study", "--preset", "smoke", "--strategies", "frozen", "--sizes", "2", "--seeds", "2", "--val-per-class", "2", "--epochs", "1", "--min-steps", "1", "--image-size", "32"], "evaluation", "results.json" },
        { "transferability", ["transferability", "--preset", "smoke", "--train-per-class", "3", "--val-per-class", "2", "--epochs", "1", "--depths", "1", "--image-size", "32"], "accuracy", "transferability.json" },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void A_conflicting_duplicate_is_refused_on_resume_and_never_reaches_the_results(string name, string[] command, string field, string resultsFile)
    {
        var folder = Path.Combine(temp.Path, name);
        var first = BuildOutputs.RunCli([.. command, "--out", folder, "--json"]);
        Assert.True(first.ExitCode == 0, first.Tail());
        var journal = Path.Combine(folder, "runs.jsonl");
        var results = Path.Combine(folder, resultsFile);
        var lines = File.ReadAllLines(journal);
        var before = File.ReadAllText(results);

        // The first run again, with another result: an accuracy, or its evaluation, changed.
        var forged = JsonNode.Parse(lines[0])!.AsObject();
        if (forged[field] is JsonObject evaluation) evaluation["accuracy"] = 0.987654;
        else forged[field] = 0.987654;
        File.AppendAllText(journal, forged.ToJsonString() + "\n");

        var resumed = BuildOutputs.RunCli([.. command, "--resume", folder, "--json"]);

        Assert.True(resumed.ExitCode == 2, resumed.Tail());
        var error = JsonErrors.AssertOne(resumed);
        Assert.Contains(journal, error);
        Assert.Contains($"lines 1 and {lines.Length + 1}", error);
        Assert.Contains("Delete the line that is wrong", error);
        Assert.DoesNotContain("   at ", resumed.StandardError);
        Assert.Equal(before, File.ReadAllText(results));
        Assert.DoesNotContain("0.987654", File.ReadAllText(results));
    }

    [Fact]
    public void The_same_record_twice_resumes_and_counts_once()
    {
        string[] command = ["compare", "--strategies", "frozen", "--seeds", "2", "--train-per-class", "3", "--val-per-class", "2", "--epochs", "1", "--image-size", "32"];
        var folder = Path.Combine(temp.Path, "identical");
        var first = BuildOutputs.RunCli([.. command, "--out", folder, "--json"]);
        Assert.True(first.ExitCode == 0, first.Tail());
        var journal = Path.Combine(folder, "runs.jsonl");
        File.AppendAllText(journal, File.ReadAllLines(journal)[0] + "\n");

        var resumed = BuildOutputs.RunCli([.. command, "--resume", folder, "--json"]);

        Assert.True(resumed.ExitCode == 0, resumed.Tail());
        Assert.Contains("line 3 repeats line 1", resumed.StandardError);
        Assert.Equal(3, File.ReadAllLines(journal).Length); // nothing trained again
    }
}
