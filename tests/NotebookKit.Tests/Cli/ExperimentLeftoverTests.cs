using NotebookKit.Experiments;
using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Cli;

/// <summary>
/// compare, study, transferability (and train) claim --out before anything runs; when they then refuse the data (or fail
/// otherwise before finishing a run) they take back what the claim wrote: no run.json, no empty runs.jsonl, no lock,
/// and no folder they created. What was there before stays, and a journal with finished runs is never removed.
/// </summary>
public class ExperimentLeftoverTests : IDisposable
{
    readonly TempDir home = new(), temp = new();
    public void Dispose()
    {
        home.Dispose();
        temp.Dispose();
    }

    ProcessResult Nbkit(params string[] arguments) => BuildOutputs.RunCliIn(home.Path, arguments, TimeSpan.FromMinutes(3));

    /// <summary>A folder dataset with the given classes, <paramref name="perClass"/> small PNGs each.</summary>
    string Images(string name, int perClass, params string[] classes)
    {
        var root = Path.Combine(temp.Path, name);
        for (int c = 0; c < classes.Length; c++)
            for (int i = 0; i < perClass; i++)
                TestImages.Png(Path.Combine(root, classes[c], $"{i}.png"), 20, 20, green: (byte)(40 * c + i));
        return root;
    }

    public static TheoryData<string, string, string> Refusals => new()
    {
        // the command, the data it gets (one class / two classes / none), what it says
        { "compare|--strategies|scratch", "one", "1 class(es) with training images" },
        { "compare|--strategies|scratch", "missing", "not found" },
        { "study|--sizes|50|--strategies|scratch", "two", "the largest possible size is" },   // refused after the data is read
        { "study|--strategies|scratch", "one", "1 class(es) with training images" },
        { "transferability", "two", "at least 4 are needed" },                                 // refused by the experiment itself
        { "train|--strategy|scratch", "one", "1 class(es) with training images" },            // train claims --out too
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_refused_run_leaves_no_folder_it_created(string command, string data, string expected)
    {
        var dataset = data switch { "one" => Images("one", 4, "cat"), "two" => Images("two", 6, "cat", "dog"), _ => Path.Combine(temp.Path, "no-such-data") };
        var output = Path.Combine(temp.Path, "new-out", "nested");

        var result = Nbkit([.. command.Split('|'), "--weights", "random", "--image-size", "32", "--epochs", "1", "--data", dataset, "--out", output]);

        Assert.True(result.ExitCode == 2, result.Tail());
        Assert.Contains(expected, result.StandardError);
        Assert.False(Directory.Exists(output), $"left behind: {string.Join(", ", Directory.Exists(output) ? Directory.GetFileSystemEntries(output) : [])}");
    }

    [Theory]
    [InlineData("compare|--strategies|scratch", 1)]
    [InlineData("study|--sizes|50|--strategies|scratch", 2)]
    [InlineData("transferability", 2)]
    public void A_refused_run_in_an_existing_folder_removes_only_what_it_wrote(string command, int classes)
    {
        var output = Directory.CreateDirectory(Path.Combine(temp.Path, "existing")).FullName;
        File.WriteAllText(Path.Combine(output, "notes.txt"), "mine");

        var result = Nbkit([.. command.Split('|'), "--weights", "random", "--image-size", "32", "--epochs", "1", "--data", Images("data", 6, new[] { "cat", "dog" }[..classes]), "--out", output]);

        Assert.True(result.ExitCode == 2, result.Tail());
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(output).Select(Path.GetFileName));
    }

    [Fact]
    public void Discarding_takes_back_only_a_fresh_journal_without_runs()
    {
        var empty = RunLog.Open(Path.Combine(temp.Path, "empty"), new { command = "compare" }, resume: false);
        Assert.True(empty.DiscardIfEmpty());
        Assert.Empty(Directory.GetFileSystemEntries(empty.Folder));

        var started = RunLog.Open(Path.Combine(temp.Path, "started"), new { command = "compare" }, resume: false);
        started.Append("frozen/seed=0", new { accuracy = 0.5 });
        Assert.False(started.DiscardIfEmpty());
        Assert.True(File.Exists(Path.Combine(started.Folder, RunLog.FileName)));

        var fresh = RunLog.Open(Path.Combine(temp.Path, "resumed"), new { command = "compare" }, resume: false);
        var resumed = RunLog.Open(fresh.Folder, new { command = "compare" }, resume: true); // a resume with nothing done yet keeps its protocol
        Assert.False(resumed.DiscardIfEmpty());
        Assert.True(File.Exists(Path.Combine(fresh.Folder, RunLog.ProtocolFileName)));
    }
}
