using System.Text.Json;
using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Cli;

public class DataInspectCommandTests : IDisposable
{
    readonly TempDir temp = new();
    string P(params string[] parts) => Path.Combine([temp.Path, .. parts]);
    public void Dispose() => temp.Dispose();

    [Fact]
    public void Default_is_the_embedded_data()
    {
        var result = BuildOutputs.RunCli("data", "inspect", "--json");

        Assert.True(result.ExitCode == 0, result.Tail());
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal("idx", json.RootElement.GetProperty("format").GetString());
        var classes = json.RootElement.GetProperty("classes").EnumerateArray().ToList();
        Assert.Equal(10, classes.Count);
        Assert.All(classes, c => Assert.Equal(150, c.GetProperty("count").GetInt32()));
        Assert.Empty(json.RootElement.GetProperty("problems").EnumerateArray());
    }

    [Fact]
    public void A_folder_with_bad_files_is_usable_and_lists_each_problem_relative_to_the_root()
    {
        for (int i = 0; i < 3; i++) TestImages.Jpeg(P("cat", $"{i}.jpg"));
        for (int i = 0; i < 2; i++) TestImages.Png(P("dog", $"{i}.PNG"));
        TestImages.TruncatedJpeg(P("cat", "cut.jpg"));
        TestImages.PngHeaderOnly(P("dog", "bomb.png"), 60000, 60000);
        TestImages.Text(P("dog", "page.jpg"), "<html></html>");
        File.WriteAllBytes(P("dog", "empty.png"), []);
        Directory.CreateDirectory(P("bird"));

        var result = BuildOutputs.RunCli("data", "inspect", temp.Path, "--json");

        Assert.True(result.ExitCode == 0, result.Tail());
        using var json = JsonDocument.Parse(result.StandardOutput);
        var root = json.RootElement;
        Assert.Equal("imagefolder", root.GetProperty("format").GetString());
        Assert.Equal(temp.Path, root.GetProperty("root").GetString());
        Assert.Equal(["cat:3", "dog:2"], root.GetProperty("classes").EnumerateArray().Select(c => $"{c.GetProperty("name").GetString()}:{c.GetProperty("count").GetInt32()}"));
        var problems = root.GetProperty("problems").EnumerateArray().ToDictionary(p => p.GetProperty("path").GetString()!, p => p.GetProperty("reason").GetString()!);
        Assert.Equal([Path.Combine("cat", "cut.jpg"), Path.Combine("dog", "bomb.png"), Path.Combine("dog", "empty.png"), Path.Combine("dog", "page.jpg")], problems.Keys);
        Assert.Contains("truncated", problems[Path.Combine("cat", "cut.jpg")]);
        Assert.Contains(root.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("empty class folder"));
    }

    [Fact]
    public void Human_output_shows_classes_and_a_problem_table()
    {
        TestImages.Jpeg(P("cat", "1.jpg"));
        TestImages.Jpeg(P("dog", "1.jpg"));
        File.WriteAllBytes(P("dog", "zero.jpg"), []);

        var result = BuildOutputs.RunCli("data", "inspect", temp.Path);

        Assert.True(result.ExitCode == 0, result.Tail());
        Assert.Contains("cat", result.StandardOutput);
        Assert.Contains("1 file(s) skipped", result.StandardOutput);
        Assert.Contains("empty file", result.StandardOutput);
    }

    [Fact]
    public void Missing_folder_or_no_usable_classes_exit_non_zero_with_a_message()
    {
        var missing = BuildOutputs.RunCli("data", "inspect", P("nowhere"));
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("not found", missing.StandardError);

        Directory.CreateDirectory(P("cat"));
        File.WriteAllBytes(P("cat", "bad.jpg"), []);
        TestImages.Text(P("dog", "bad.png"), "text");
        var unusable = BuildOutputs.RunCli("data", "inspect", temp.Path);
        Assert.Equal(1, unusable.ExitCode);
        Assert.Contains("not usable", unusable.StandardError);
    }
}
