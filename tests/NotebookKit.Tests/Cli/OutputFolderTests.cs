using NotebookKit.Reports;
using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Cli;

/// <summary>
/// Output folders are checked before any work, locked against a second run, and reports are replaced only whole: a
/// failed write keeps the old report and leaves no temporary file.
/// </summary>
public class OutputFolderTests : IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();

    [Fact]
    public void An_out_folder_that_cannot_be_written_fails_before_any_training()
    {
        var file = Path.Combine(temp.Path, "a-file");
        File.WriteAllText(file, "not a folder");

        var result = BuildOutputs.RunCli("compare", "--preset", "smoke", "--out", Path.Combine(file, "results"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("cannot write the results there", result.StandardError);
        Assert.DoesNotContain("Using resnet18", result.StandardOutput); // nothing was loaded or trained
        Assert.DoesNotContain("   at ", result.StandardError);
    }

    [Fact]
    public void A_second_run_into_a_folder_in_use_is_refused()
    {
        var folder = Path.Combine(temp.Path, "busy");
        using (OutputFolder.Claim(folder)) // another run holds it
        {
            var result = BuildOutputs.RunCli("compare", "--preset", "smoke", "--strategies", "frozen", "--out", folder);
            Assert.Equal(2, result.ExitCode);
            Assert.Contains("another nbkit run is writing there", result.StandardError);
            Assert.Contains($"process {Environment.ProcessId}", result.StandardError);
        }
        using var again = OutputFolder.Claim(folder); // released: usable again
        Assert.Equal(Path.GetFullPath(folder), again.Path);
    }

    [Fact]
    public void A_report_that_cannot_be_written_keeps_the_old_one_whole_and_leaves_no_temporary_file()
    {
        var folder = Path.Combine(temp.Path, "report");
        ReportFiles.Write(folder, "results.json", new { run = 1 }, "report.html", "<p>run 1</p>");
        Directory.CreateDirectory(Path.Combine(folder, "report.html.tmp-" + Environment.ProcessId)); // the second file cannot be written

        Assert.ThrowsAny<Exception>(() => ReportFiles.Write(folder, "results.json", new { run = 2 }, "report.html", "<p>run 2</p>"));

        Assert.Contains("\"run\": 1", File.ReadAllText(Path.Combine(folder, "results.json")));   // not a new JSON next to an old page
        Assert.Equal("<p>run 1</p>", File.ReadAllText(Path.Combine(folder, "report.html")));
        Assert.DoesNotContain(Directory.GetFiles(folder), f => f.Contains(".tmp-"));
    }

    [Fact]
    public void Temporaries_of_dead_processes_are_swept_and_live_ones_kept()
    {
        var folder = Directory.CreateDirectory(Path.Combine(temp.Path, "sweep")).FullName;
        File.WriteAllText(Path.Combine(folder, "results.json.tmp-999999"), "dead");
        Directory.CreateDirectory(Path.Combine(folder, "last.writing-999998"));
        File.WriteAllText(Path.Combine(folder, $"report.html.tmp-{Environment.ProcessId}"), "mine, still writing");
        File.WriteAllText(Path.Combine(folder, "notes.tmp-draft"), "not ours");

        KitFiles.SweepTemporaries(folder);

        Assert.Equal([$"notes.tmp-draft", $"report.html.tmp-{Environment.ProcessId}"], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).Order());
    }
}
