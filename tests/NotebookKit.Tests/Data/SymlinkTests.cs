using System.Diagnostics;
using System.Text.Json;
using NotebookKit.Data;
using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Data;

/// <summary>Image folders with symbolic links (#17: one self-link turned 6 images into 246; two made listing hang), and CSV rows that leave their folder.</summary>
public class SymlinkTests : IDisposable
{
    readonly TempDir temp = new();
    string P(params string[] parts) => Path.Combine([temp.Path, .. parts]);
    public void Dispose() => temp.Dispose();

    /// <summary>cats/0..2.png and dogs/0..2.png.</summary>
    void SixImages()
    {
        for (int i = 0; i < 3; i++)
        {
            TestImages.Png(P("cats", $"{i}.png"), green: (byte)(10 * i));
            TestImages.Png(P("dogs", $"{i}.png"), green: (byte)(100 + 10 * i));
        }
    }

    [Fact]
    public void One_self_link_lists_each_image_once_reports_the_loop_and_keeps_train_and_validation_apart()
    {
        SixImages();
        Directory.CreateSymbolicLink(P("cats", "loop"), ".");

        var source = Datasets.Open(temp.Path);

        Assert.Equal(6, source.Train.Count);
        Assert.Equal([3, 3], source.Train.ClassCounts());
        var loop = Assert.Single(source.Problems);
        Assert.Equal(Path.Combine("cats", "loop"), loop.Path);
        Assert.Contains("loop", loop.Reason);
        var (train, validation) = source.Split(0.34, seed: 1);
        var trainFiles = Enumerable.Range(0, train.Count).Select(i => Path.GetFileName(train.PathOf(i)) + train.LabelOf(i)).ToHashSet();
        Assert.DoesNotContain(Enumerable.Range(0, validation.Count).Select(i => Path.GetFileName(validation.PathOf(i)) + validation.LabelOf(i)), trainFiles.Contains);
        Assert.Contains(DatasetInspection.Of(source).Problems, p => p.Path == Path.Combine("cats", "loop"));
    }

    [Fact]
    public void Two_self_links_finish_at_once_in_little_memory_and_inspection_lists_both()
    {
        SixImages();
        Directory.CreateSymbolicLink(P("dogs", "a"), ".");
        Directory.CreateSymbolicLink(P("dogs", "b"), ".");

        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        var source = Datasets.Open(temp.Path);
        watch.Stop();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"listing took {watch.Elapsed}");
        Assert.True(allocated < 20_000_000, $"listing allocated {allocated:N0} bytes");
        Assert.Equal([3, 3], source.Train.ClassCounts());
        Assert.Equal([Path.Combine("dogs", "a"), Path.Combine("dogs", "b")], source.Problems.Select(p => p.Path).Order());

        var cli = BuildOutputs.RunCliIn(P("home"), ["data", "inspect", temp.Path, "--json"], TimeSpan.FromSeconds(60));
        Assert.False(cli.TimedOut, "data inspect must not hang on link loops");
        Assert.True(cli.ExitCode == 0, cli.Tail());
        using var json = JsonDocument.Parse(cli.StandardOutput);
        Assert.Equal(["cats:3", "dogs:3"], json.RootElement.GetProperty("classes").EnumerateArray().Select(c => $"{c.GetProperty("name").GetString()}:{c.GetProperty("count").GetInt32()}"));
        Assert.Equal(2, json.RootElement.GetProperty("problems").EnumerateArray().Count(p => p.GetProperty("reason").GetString()!.Contains("loop")));
    }

    [Fact]
    public void Links_to_another_class_a_second_way_into_a_folder_broken_links_and_duplicate_files_are_each_reported()
    {
        SixImages();
        Directory.CreateSymbolicLink(P("cats", "dogs-too"), Path.Combine("..", "dogs"));
        File.CreateSymbolicLink(P("cats", "stolen.png"), Path.Combine("..", "dogs", "0.png"));
        File.CreateSymbolicLink(P("cats", "again.png"), "0.png");
        File.CreateSymbolicLink(P("cats", "broken.png"), "nowhere.png");
        Directory.CreateSymbolicLink(P("kittens"), "cats");
        Directory.CreateSymbolicLink(P("dogs", "x"), "y");
        Directory.CreateSymbolicLink(P("dogs", "y"), "x");
        Directory.CreateSymbolicLink(P("rooted"), temp.Path); // a link through the root: listing from it must change nothing
        var viaLink = P("rooted");

        var source = Datasets.Open(viaLink);

        Assert.Equal(["cats", "dogs"], source.Classes);
        Assert.Equal([3, 3], source.Train.ClassCounts());
        var problems = source.Problems.ToDictionary(p => p.Path, p => p.Reason);
        Assert.Contains("into the class folder dogs", problems[Path.Combine("cats", "dogs-too")]);
        Assert.Contains("into the class folder dogs", problems[Path.Combine("cats", "stolen.png")]);
        Assert.Contains("same file as " + Path.Combine("cats", "0.png"), problems[Path.Combine("cats", "again.png")]);
        Assert.Contains("broken", problems[Path.Combine("cats", "broken.png")]);
        Assert.Contains("same folder as cats", problems["kittens"]);
        Assert.Contains("loop", problems[Path.Combine("dogs", "x")]);
        Assert.Contains("loop", problems[Path.Combine("dogs", "y")]);
    }

    [Fact]
    public void A_validation_split_linked_to_the_training_images_is_reported_not_counted_twice()
    {
        for (int i = 0; i < 2; i++)
        {
            TestImages.Png(P("train", "a", $"{i}.png"));
            TestImages.Png(P("train", "b", $"{i}.png"));
        }
        TestImages.Png(P("val", "a", "v.png"));
        Directory.CreateSymbolicLink(P("val", "b"), Path.Combine("..", "train", "b"));

        var source = Datasets.Open(temp.Path);

        Assert.Equal(4, source.Train.Count);
        Assert.Equal(1, source.Validation!.Count);
        Assert.Contains(source.Problems, p => p.Path == Path.Combine("val", "b") && p.Reason.Contains("same folder as " + Path.Combine("train", "b")));
    }

    [Fact]
    public void Training_on_a_folder_with_two_self_links_finishes()
    {
        SixImages();
        Directory.CreateSymbolicLink(P("cats", "a"), ".");
        Directory.CreateSymbolicLink(P("cats", "b"), ".");

        var result = BuildOutputs.RunCliIn(P("home"), ["train", "--data", temp.Path, "--weights", "random", "--strategy", "scratch", "--epochs", "1",
            "--image-size", "32", "--batch-size", "4", "--json"], TimeSpan.FromSeconds(120));

        Assert.False(result.TimedOut, "train must not hang on link loops");
        Assert.True(result.ExitCode == 0, result.Tail());
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal(1, json.RootElement.GetProperty("epochs").GetArrayLength());
    }

    [Fact]
    public void Csv_rows_outside_the_csv_folder_are_warned_about_and_a_file_listed_twice_is_used_once()
    {
        TestImages.Png(P("outside.png"));
        TestImages.Png(P("set", "imgs", "a.png"));
        TestImages.Png(P("set", "imgs", "b.png"));
        File.CreateSymbolicLink(P("set", "imgs", "b-again.png"), "b.png");
        File.WriteAllText(P("set", "list.csv"), $"path,label\nimgs/a.png,cat\n../outside.png,dog\n{P("outside.png")},dog\nimgs/b.png,dog\nimgs/b-again.png,cat\n");

        var source = Datasets.Open(P("set", "list.csv"));

        Assert.Equal(3, source.Train.Count);
        var warning = Assert.Single(source.Warnings);
        Assert.Contains("outside the CSV's folder", warning);
        Assert.Contains("../outside.png (line 3)", warning);
        Assert.Contains(source.Problems, p => p.Path == Path.Combine("imgs", "b-again.png") && p.Reason.Contains("first on line 5"));
        Assert.Contains(source.Problems, p => p.Path == P("outside.png") && p.Reason.Contains("first on line 3"));
        Assert.Equal(source.Warnings, DatasetInspection.Of(source).Warnings);
    }
}
