using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Cli;

/// <summary>
/// Class names, file names and folders that look like Spectre markup (<c>[red]</c>, <c>[/]</c>, <c>[3.38, 1]</c>) or like
/// HTML (<see cref="HostilePage"/>), met as a user meets them: the commands print them literally (exit 0) and the pages
/// they write keep them as text.
/// </summary>
public class HostileNamesCommandTests : IDisposable
{
    static readonly string[] Markup = ["[red]", "[/]", "[3.38, 1]", "[bold]x[/]"];
    readonly TempDir home = new(), temp = new();
    public void Dispose()
    {
        home.Dispose();
        temp.Dispose();
    }

    ProcessResult Nbkit(params string[] arguments) => BuildOutputs.RunCliIn(home.Path, arguments, TimeSpan.FromMinutes(3));

    /// <summary>Standard output with Spectre's line wrapping (at 80 columns when redirected) undone.</summary>
    static string Shown(ProcessResult result) => System.Text.RegularExpressions.Regex.Replace(result.StandardOutput, @"[ \t]*\r?\n", " ");

    /// <summary>A CSV dataset whose labels are every hostile name, three images each; its file name is hostile too.</summary>
    string HostileCsv()
    {
        var folder = Path.Combine(temp.Path, "data");
        var lines = new List<string> { "path,label" };
        var labels = HostilePage.Names.Concat(Markup).ToList();
        for (int c = 0; c < labels.Count; c++)
            for (int i = 0; i < 3; i++)
            {
                TestImages.Jpeg(Path.Combine(folder, $"{c}-{i}.jpg"), green: (byte)(30 * c + 10 * i));
                lines.Add($"{c}-{i}.jpg,\"{labels[c].Replace("\"", "\"\"")}\"");
            }
        var csv = Path.Combine(folder, "\"><img src=x onerror=alert(1)> [red].csv");
        File.WriteAllLines(csv, lines);
        return csv;
    }

    [Fact]
    public void Data_inspect_prints_markup_like_class_and_file_names_as_they_are()
    {
        foreach (var name in Markup.Where(n => !n.Contains('/')).Concat(HostilePage.FolderNames))
            for (int i = 0; i < 2; i++) TestImages.Jpeg(Path.Combine(temp.Path, name, $"{i}.jpg"));
        File.WriteAllBytes(Path.Combine(temp.Path, "[red]", "[bold]empty.jpg"), []);

        var result = Nbkit("data", "inspect", temp.Path);

        Assert.True(result.ExitCode == 0, result.Tail());
        var shown = Shown(result);
        foreach (var name in new[] { "[red]", "[3.38, 1]", "[bold]empty.jpg", "empty file", "1 file(s) skipped" }) Assert.Contains(name, shown);
        Assert.DoesNotContain("Could not find color", result.StandardError);
    }

    [Fact]
    public void Features_and_predict_print_paths_with_brackets_as_they_are()
    {
        var image = TestImages.Jpeg(Path.Combine(temp.Path, "[red]", "[3.38, 1].jpg"), 64, 48);

        var features = Nbkit("features", "--arch", "resnet18", "--weights", "random", image);
        var predict = Nbkit("predict", "--arch", "resnet18", "--weights", "random", "--top", "2", image);

        Assert.True(features.ExitCode == 0, features.Tail());
        Assert.Contains($"{image}: 512 features, mean ", Shown(features));
        Assert.Matches(@"first \[[\d.]+, [\d.]+, [\d.]+, [\d.]+, …\]", Shown(features));
        Assert.True(predict.ExitCode == 0, predict.Tail());
        Assert.StartsWith(image, predict.StandardOutput);
        Assert.Equal(3, predict.StandardOutput.TrimEnd().Split('\n').Length); // the path, then the top 2
    }

    [Fact]
    public void Compare_and_train_on_hostile_labels_print_them_literally_and_write_safe_pages()
    {
        var csv = HostileCsv();
        var output = Path.Combine(temp.Path, "[red]out");
        string[] small = ["--data", csv, "--epochs", "1", "--image-size", "32", "--weights", "random", "--train-per-class", "2", "--val-per-class", "1"];

        var inspect = Nbkit("data", "inspect", csv);
        var compare = Nbkit(["compare", "--preset", "smoke", "--strategies", "frozen", "--seeds", "1", "--out", output, .. small]);
        var train = Nbkit(["train", "--strategy", "frozen", "--out", Path.Combine(temp.Path, "[bold]train[/]"), .. small]);

        Assert.True(inspect.ExitCode == 0, inspect.Tail());
        foreach (var label in Markup.Append("</script><script>alert(1)</script>")) Assert.Contains(label, Shown(inspect));
        Assert.True(compare.ExitCode == 0, compare.Tail());
        Assert.Contains($"Report: {Path.Combine(output, "report.html")}", Shown(compare));
        var page = HostilePage.Check(File.ReadAllText(Path.Combine(output, "report.html")), HostilePage.Names);
        HostilePage.ChartsShow(page, HostilePage.Names.Concat(Markup));
        HostilePage.ShowsEscaped(page, [Path.GetFileNameWithoutExtension(csv)]);
        Assert.True(train.ExitCode == 0, train.Tail());
        Assert.Contains("frozen: ", Shown(train));
        Assert.Contains("9 classes", Shown(train));
        Assert.True(File.Exists(Path.Combine(temp.Path, "[bold]train[/]", "results.json")));
    }

    [Fact]
    public void Study_and_transferability_on_hostile_labels_print_literally_and_write_safe_pages()
    {
        var csv = HostileCsv();
        string[] small = ["--data", csv, "--epochs", "1", "--image-size", "32", "--seeds", "1", "--val-per-class", "1", "--batch-size", "8"];

        var study = Nbkit(["study", "--preset", "smoke", "--sizes", "1", "--strategies", "frozen", "--min-steps", "0", "--weights", "random", "--out", Path.Combine(temp.Path, "[red]study"), .. small]);
        var transfer = Nbkit(["transferability", "--preset", "smoke", "--depths", "1", "--train-per-class", "2", "--out", Path.Combine(temp.Path, "[3.38, 1]"), .. small]);

        Assert.True(study.ExitCode == 0, study.Tail());
        Assert.Contains($"Report: {Path.Combine(temp.Path, "[red]study", "report.html")}", Shown(study));
        HostilePage.Check(File.ReadAllText(Path.Combine(temp.Path, "[red]study", "report.html")), HostilePage.Names);
        Assert.True(transfer.ExitCode == 0, transfer.Tail());
        Assert.Contains($"Figure: {Path.Combine(temp.Path, "[3.38, 1]", "transferability.html")}", Shown(transfer));
        var figure = HostilePage.Check(File.ReadAllText(Path.Combine(temp.Path, "[3.38, 1]", "transferability.html")), HostilePage.Names);
        HostilePage.ShowsEscaped(figure, [HostilePage.Names[0]]); // every class is in one of the halves
    }
}
