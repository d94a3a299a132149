using System.Text.Json;
using NotebookKit.Data;
using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Data;

/// <summary>
/// Issue 30, items 1 and 4: a linked image is read whole (its target's size, not the link's); "the same file" is decided
/// by file identity, so hard links and bind mounts are caught like symbolic links and the real name wins over an alias;
/// a class folder that cannot be read is reported as such, not dropped as empty.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class FileIdentityListingTests : IDisposable
{
    readonly TempDir temp = new();
    string P(params string[] parts) => Path.Combine([temp.Path, .. parts]);
    public void Dispose()
    {
        foreach (var mount in mounts) ProcessRunner.Run("umount", [mount], "/", TimeSpan.FromSeconds(20));
        foreach (var dir in Directory.EnumerateDirectories(temp.Path, "*", SearchOption.AllDirectories).ToList())
            try { File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); } catch (IOException) { }
        temp.Dispose();
    }

    readonly List<string> mounts = [];

    static void HardLink(string target, string link)
    {
        var result = ProcessRunner.Run("ln", [target, link], "/", TimeSpan.FromSeconds(20));
        Assert.True(result.ExitCode == 0, result.Tail());
    }

    [Fact]
    public void A_dataset_made_of_symbolic_links_decodes_every_image_at_its_targets_size()
    {
        var photos = P("photos");
        for (int i = 0; i < 3; i++)
        {
            TestImages.Jpeg(P("photos", $"cat{i}.jpg"), width: 64 + i, height: 48);
            TestImages.Png(P("photos", $"dog{i}.png"), width: 50, height: 40 + i);
        }
        Directory.CreateDirectory(P("set", "cat"));
        Directory.CreateDirectory(P("set", "dog"));
        for (int i = 0; i < 3; i++)
        {
            File.CreateSymbolicLink(P("set", "cat", $"{i}.jpg"), Path.Combine(photos, $"cat{i}.jpg"));          // absolute
            File.CreateSymbolicLink(P("set", "dog", $"{i}.png"), Path.Combine("..", "..", "photos", $"dog{i}.png")); // relative
        }
        File.CreateSymbolicLink(P("set", "dog", "chain.png"), "0.png"); // a link to a link: the same file as 0.png

        var source = Datasets.Open(P("set"));

        Assert.Equal([3, 3], source.Train.ClassCounts());
        var chain = Assert.Single(source.Problems);
        Assert.Contains("same file as " + Path.Combine("dog", "0.png"), chain.Reason);
        for (int i = 0; i < source.Train.Count; i++)
        {
            using var image = ImageFile.Load(Path.Combine(source.Train.Root, source.Train.PathOf(i))); // read whole: a link's own size is ~30 bytes
            Assert.True(image.Width >= 50);
        }
        Assert.Equal((65, 48), ImageFile.Check(P("set", "cat", "1.jpg")));
        var inspection = DatasetInspection.Of(source);
        Assert.Equal(6, inspection.Classes.Sum(c => c.Count));
        Assert.DoesNotContain(inspection.Problems, p => p.Reason.Contains("corrupt") || p.Reason.Contains("truncated"));
    }

    [Fact]
    public async Task A_link_to_a_missing_file_a_folder_or_a_fifo_is_refused_with_its_reason_without_hanging()
    {
        TestImages.Png(P("real.png"));
        File.CreateSymbolicLink(P("gone.png"), "nowhere.png");
        Directory.CreateDirectory(P("dir"));
        File.CreateSymbolicLink(P("folder.png"), "dir");
        Assert.Equal(0, ProcessRunner.Run("mkfifo", [P("pipe")], "/", TimeSpan.FromSeconds(10)).ExitCode);
        File.CreateSymbolicLink(P("pipe.png"), "pipe");

        Assert.Contains("broken symbolic link", Assert.Throws<BadImageException>(() => ImageFile.Load(P("gone.png"))).Message);
        Assert.Contains("broken symbolic link", Assert.Throws<BadImageException>(() => ImageFile.Load(P("folder.png"))).Message);
        var fifo = Task.Run(() => Assert.Throws<BadImageException>(() => ImageFile.Load(P("pipe.png"))).Message);
        Assert.True(await Task.WhenAny(fifo, Task.Delay(TimeSpan.FromSeconds(10))) == fifo, "reading a link to a FIFO must not block");
        Assert.Contains("empty file", await fifo);
        using var ok = ImageFile.Load(P("real.png"));
    }

    [Fact]
    public void An_alias_beside_its_target_is_dropped_and_the_real_file_kept_whatever_the_names_order()
    {
        for (int i = 0; i < 2; i++) TestImages.Png(P("b", $"{i}.png"));
        TestImages.Png(P("a", "photo.png"), green: 7);
        File.CreateSymbolicLink(P("a", "0-alias.png"), "photo.png");    // sorts before its target
        File.CreateSymbolicLink(P("a", "zz-alias.png"), "photo.png");   // and one after it
        Directory.CreateDirectory(P("a", "0-sub"));
        File.CreateSymbolicLink(P("a", "0-sub", "deep.png"), Path.Combine("..", "photo.png")); // in a sub-folder listed first

        var source = Datasets.Open(temp.Path);

        var listed = Enumerable.Range(0, source.Train.Count).Where(i => source.Train.LabelOf(i) == 0).Select(i => Path.GetFileName(source.Train.PathOf(i))).ToList();
        Assert.Equal(["photo.png"], listed);
        var flagged = source.Problems.Select(p => p.Path).Order(StringComparer.Ordinal).ToList();
        Assert.Equal([Path.Combine("a", "0-alias.png"), Path.Combine("a", "0-sub", "deep.png"), Path.Combine("a", "zz-alias.png")], flagged);
        Assert.All(source.Problems, p => Assert.Contains("same file as", p.Reason));
    }

    [Fact]
    public void Hard_links_are_one_file_within_a_class_across_classes_and_across_splits()
    {
        for (int i = 0; i < 3; i++)
        {
            TestImages.Png(P("train", "cat", $"{i}.png"), green: (byte)i);
            TestImages.Png(P("train", "dog", $"{i}.png"), green: (byte)(50 + i));
        }
        TestImages.Png(P("val", "cat", "v.png"));
        TestImages.Png(P("val", "dog", "v.png"), green: 9);
        HardLink(P("train", "cat", "0.png"), P("train", "cat", "copy.png"));     // same class
        HardLink(P("train", "cat", "1.png"), P("train", "dog", "cat1.png"));     // another class: one label only, flagged
        HardLink(P("train", "dog", "2.png"), P("val", "dog", "leak.png"));       // train/validation leakage

        var source = Datasets.Open(temp.Path);

        Assert.Equal([3, 3], source.Train.ClassCounts());
        Assert.Equal(2, source.Validation!.Count);
        var problems = source.Problems.ToDictionary(p => p.Path, p => p.Reason);
        Assert.Equal(3, problems.Count);
        Assert.Contains("hard link", problems[Path.Combine("train", "cat", "copy.png")]);
        Assert.Contains("same file as " + Path.Combine("train", "cat", "1.png"), problems[Path.Combine("train", "dog", "cat1.png")]);
        Assert.Contains("check which class", problems[Path.Combine("train", "dog", "cat1.png")]);
        Assert.Contains("same file as " + Path.Combine("train", "dog", "2.png"), problems[Path.Combine("val", "dog", "leak.png")]);
    }

    [LinuxRootFact]
    public void A_bind_mount_of_the_dataset_inside_a_class_folder_is_a_loop_not_a_relabelling()
    {
        for (int i = 0; i < 2; i++)
        {
            TestImages.Png(P("cat", $"{i}.png"));
            TestImages.Png(P("dog", $"{i}.png"));
        }
        Directory.CreateDirectory(P("dog", "mounted"));
        Directory.CreateDirectory(P("cat", "other"));
        Directory.CreateDirectory(P("elsewhere", "x"));
        TestImages.Png(P("elsewhere", "x", "e.png"));
        Mount(temp.Path, P("dog", "mounted"));       // the whole dataset again, inside class dog
        Mount(P("dog"), P("cat", "other"));          // another class's folder, inside class cat

        var source = Datasets.Open(temp.Path);

        Assert.Equal(["cat", "dog", "elsewhere"], source.Classes);
        Assert.Equal([2, 2, 1], source.Train.ClassCounts());
        var problems = source.Problems.ToDictionary(p => p.Path, p => p.Reason);
        Assert.Contains("encloses it", problems[Path.Combine("dog", "mounted")]);
        Assert.Contains("same folder as dog", problems[Path.Combine("cat", "other")]);
        Assert.Contains(DatasetInspection.Of(source).Problems, p => p.Path == Path.Combine("dog", "mounted"));
    }

    void Mount(string source, string target)
    {
        var result = ProcessRunner.Run("mount", ["--bind", source, target], "/", TimeSpan.FromSeconds(20));
        Assert.True(result.ExitCode == 0, result.Tail());
        mounts.Insert(0, target);
    }

    [Fact]
    public void An_unreadable_class_folder_is_a_problem_that_says_permission_denied_and_one_class_fewer()
    {
        for (int i = 0; i < 2; i++)
        {
            TestImages.Png(P("a", $"{i}.png"));
            TestImages.Png(P("b", $"{i}.png"));
            TestImages.Png(P("c", $"{i}.png"));
            TestImages.Png(P("b", "inner", $"{i}.png"));
        }
        // Everything readable by others (a temporary folder is the owner's only), except the two folders under test.
        foreach (var dir in Directory.EnumerateDirectories(temp.Path, "*", SearchOption.AllDirectories).Append(temp.Path))
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(P("c"), UnixFileMode.None);
        File.SetUnixFileMode(P("b", "inner"), UnixFileMode.None);

        var (source, inspection) = Privileges.AsNobody(() => { var s = Datasets.Open(temp.Path); return (s, DatasetInspection.Of(s)); });

        Assert.Equal(["a", "b"], source.Classes);
        var problems = source.Problems.ToDictionary(p => p.Path, p => p.Reason);
        Assert.Contains("permission denied", problems["c"]);
        Assert.Contains("class 'c' has no images", problems["c"]);
        Assert.Contains("one class fewer", problems["c"]);
        Assert.Contains("permission denied", problems[Path.Combine("b", "inner")]);
        Assert.DoesNotContain(source.Warnings, w => w.Contains("empty class folder"));
        Assert.Contains(inspection.Problems, p => p.Path == "c" && p.Reason.Contains("permission denied"));
    }

    [Fact]
    public void Data_inspect_on_a_linked_dataset_lists_every_image_and_no_problem()
    {
        for (int i = 0; i < 2; i++)
        {
            TestImages.Jpeg(P("store", $"x{i}.jpg"));
            TestImages.Jpeg(P("store", $"y{i}.jpg"), green: 200);
        }
        Directory.CreateDirectory(P("set", "x"));
        Directory.CreateDirectory(P("set", "y"));
        for (int i = 0; i < 2; i++)
        {
            File.CreateSymbolicLink(P("set", "x", $"{i}.jpg"), P("store", $"x{i}.jpg"));
            File.CreateSymbolicLink(P("set", "y", $"{i}.jpg"), P("store", $"y{i}.jpg"));
        }

        var cli = BuildOutputs.RunCliIn(P("home"), ["data", "inspect", P("set"), "--json"], TimeSpan.FromSeconds(60));

        Assert.True(cli.ExitCode == 0, cli.Tail());
        using var json = JsonDocument.Parse(cli.StandardOutput);
        Assert.Equal(["x:2", "y:2"], json.RootElement.GetProperty("classes").EnumerateArray().Select(c => $"{c.GetProperty("name").GetString()}:{c.GetProperty("count").GetInt32()}"));
        Assert.Equal(0, json.RootElement.GetProperty("problems").GetArrayLength());
    }
}
