using System.Text.Json.Nodes;
using NotebookKit.Experiments;
using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Experiments;

/// <summary>
/// A journal with two records of one run: different ones are refused on resume (naming the file, both lines and the fix),
/// never resolved by taking one; the same record twice counts once. Every experiment (compare, study, transferability)
/// reads its journal through <see cref="RunLog"/>, so these hold for all of them; the command-line test checks that the
/// refusal reaches the user and that nothing injected reaches results.json.
/// </summary>
public class RunLogDuplicateTests : IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();

    static readonly object Protocol = new { command = "compare", seeds = new[] { 0, 1 } };

    string Journal(params (string Key, object Run)[] runs)
    {
        var folder = Path.Combine(temp.Path, Guid.NewGuid().ToString("N"));
        var log = RunLog.Open(folder, Protocol, resume: false);
        foreach (var (key, run) in runs) log.Append(key, run);
        return folder;
    }

    static string JournalPath(string folder) => Path.Combine(folder, RunLog.FileName);

    static List<string> Lines(string folder) => File.ReadAllLines(JournalPath(folder)).ToList();

    static void Write(string folder, IEnumerable<string> lines) => File.WriteAllText(JournalPath(folder), string.Concat(lines.Select(l => l + "\n")));

    /// <summary>The line with <paramref name="path"/> (a dotted path into the record) set to <paramref name="value"/>.</summary>
    static string With(string line, string path, JsonNode value)
    {
        var node = JsonNode.Parse(line)!;
        var parts = path.Split('.');
        var parent = parts[..^1].Aggregate(node, (n, p) => n[p]!);
        parent[parts[^1]] = value;
        return node.ToJsonString();
    }

    static readonly (string, object)[] TwoRuns =
    [
        ("frozen/seed=0", new { strategy = "frozen", seed = 0, evaluation = new { accuracy = 0.62, count = 20 } }),
        ("frozen/seed=1", new { strategy = "frozen", seed = 1, evaluation = new { accuracy = 0.58, count = 20 } }),
    ];

    public static TheoryData<string, int, string> Conflicts => new()
    {
        // where the conflicting copy goes (after line N), which field differs, and how
        { "evaluation.accuracy", 2, "0.99" },       // the case: another accuracy, at the end
        { "evaluation.accuracy", 1, "0.99" },       // in the middle
        { "seed", 2, "7" },                         // a field outside the evaluation
        { "evaluation.count", 2, "\"twenty\"" },    // another type
    };

    [Theory]
    [MemberData(nameof(Conflicts))]
    public void A_conflicting_duplicate_is_refused_naming_the_file_both_lines_and_the_fix(string field, int after, string value)
    {
        var folder = Journal(TwoRuns);
        var lines = Lines(folder);
        lines.Insert(after, With(lines[0], field, JsonNode.Parse(value)!));
        Write(folder, lines);

        var error = Assert.ThrowsAny<KitException>(() => RunLog.Open(folder, Protocol, resume: true));

        Assert.Contains(JournalPath(folder), error.Message);
        Assert.Contains($"lines 1 and {after + 1}", error.Message);
        Assert.Contains("'frozen/seed=0'", error.Message);
        Assert.Contains(field, error.Message);
        Assert.Contains(value, error.Message);
        Assert.Contains("Delete the line that is wrong", error.Message);
        Assert.Equal(lines, Lines(folder)); // nothing was changed on disk
    }

    [Fact]
    public void A_conflict_is_found_wherever_the_two_lines_are()
    {
        var folder = Journal([.. TwoRuns, ("finetune/seed=0", new { strategy = "finetune", seed = 0 })]);
        var lines = Lines(folder);
        lines.Add(With(lines[1], "evaluation.accuracy", JsonValue.Create(0.1)));   // line 4 conflicts with line 2

        Write(folder, lines);
        var error = Assert.ThrowsAny<KitException>(() => RunLog.Open(folder, Protocol, resume: true));
        Assert.Contains("lines 2 and 4", error.Message);
        Assert.Contains("'frozen/seed=1'", error.Message);
        Assert.Contains("0.58 on line 2, 0.1 on line 4", error.Message);
    }

    [Fact]
    public void An_identical_duplicate_counts_once_with_a_notice()
    {
        var folder = Journal(TwoRuns);
        var lines = Lines(folder);
        Write(folder, [.. lines, lines[0], lines[1], lines[0]]);

        var log = RunLog.Open(folder, Protocol, resume: true);

        Assert.Equal(2, log.Resumed);
        Assert.Equal(3, log.Notices.Count(n => n.Contains("exactly; it is counted once")));
        Assert.Contains(log.Notices, n => n.Contains("line 3 repeats line 1"));
        Assert.True(log.TryGet("frozen/seed=0", out var run));
        Assert.Equal(0.62, run["evaluation"]!["accuracy"]!.GetValue<double>());
    }

    [Fact]
    public void An_identical_duplicate_written_in_another_property_order_counts_once()
    {
        var folder = Journal(TwoRuns);
        var lines = Lines(folder);
        var reordered = new JsonObject(JsonNode.Parse(lines[0])!.AsObject().Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        Write(folder, [.. lines, reordered.ToJsonString()]);

        Assert.Equal(2, RunLog.Open(folder, Protocol, resume: true).Resumed);
    }

    [Fact]
    public void A_torn_last_line_that_repeats_a_run_is_dropped_not_taken_for_a_conflict()
    {
        var folder = Journal(TwoRuns);
        var lines = Lines(folder);
        var conflicting = With(lines[0], "evaluation.accuracy", JsonValue.Create(0.99));
        File.WriteAllText(JournalPath(folder), string.Concat(lines.Select(l => l + "\n")) + conflicting[..(conflicting.Length / 2)]);

        var log = RunLog.Open(folder, Protocol, resume: true);

        Assert.Equal(2, log.Resumed);
        Assert.Contains(log.Notices, n => n.Contains("the last line is incomplete"));
        Assert.Equal(lines, Lines(folder)); // truncated back to the whole lines
    }

    [Fact]
    public void A_record_whose_key_is_not_text_is_damage_not_a_crash()
    {
        var folder = Journal(TwoRuns);
        var lines = Lines(folder);
        Write(folder, [With(lines[0], "key", JsonValue.Create(3)), lines[1]]);

        var error = Assert.ThrowsAny<KitException>(() => RunLog.Open(folder, Protocol, resume: true));
        Assert.Contains("line 1 is not a run record", error.Message);
    }
}
