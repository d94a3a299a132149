using NotebookKit.Data;
using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Data;

public class ImageFolderTests : IDisposable
{
    readonly TempDir temp = new();
    string P(params string[] parts) => Path.Combine([temp.Path, .. parts]);
    public void Dispose() => temp.Dispose();

    [Fact]
    public void One_folder_per_class_with_noise_ignored()
    {
        TestImages.Png(P("cats", "1.png"));
        TestImages.Jpeg(P("cats", "2.JPG"));
        TestImages.Jpeg(P("dogs", "Ñandú.jpeg"));
        TestImages.Text(P("dogs", ".DS_Store"), "x");
        TestImages.Text(P("dogs", "Thumbs.db"), "x");
        TestImages.Text(P("dogs", "readme.txt"), "notes");
        TestImages.Png(P("dogs", ".hidden", "3.png"));
        Directory.CreateDirectory(P("empty"));

        var source = Datasets.Open(temp.Path);

        Assert.Equal("imagefolder", source.Format);
        Assert.Equal(["cats", "dogs"], source.Classes);
        Assert.Equal([2, 1], source.Train.ClassCounts());
        Assert.Null(source.Validation);
        Assert.Contains(source.Warnings, w => w.Contains("empty class folder"));
        Assert.Contains(source.Warnings, w => w.Contains("readme.txt"));
        Assert.DoesNotContain(source.Warnings, w => w.Contains("Thumbs.db") || w.Contains(".DS_Store"));
        Assert.Equal(Path.Combine("dogs", "Ñandú.jpeg"), source.Train.PathOf(2));
    }

    [Fact]
    public void Split_folders_share_the_training_classes()
    {
        TestImages.Png(P("train", "a", "1.png"));
        TestImages.Png(P("train", "b", "1.png"));
        TestImages.Png(P("valid", "b", "2.png"));
        TestImages.Png(P("valid", "zebra", "3.png"));
        TestImages.Png(P("test", "a", "4.png"));

        var source = Datasets.Open(temp.Path);

        Assert.Equal(["a", "b"], source.Classes);
        Assert.Equal(1, source.Validation!.Count);
        Assert.Equal(1, source.Validation.LabelOf(0));
        Assert.Equal(1, source.Test!.Count);
        Assert.Contains(source.Problems, p => p.Reason.Contains("'zebra' is not in the training split"));
        Assert.Contains(source.Warnings, w => w.Contains("no images of class 'a'"));
    }

    [Fact]
    public void A_missing_folder_or_one_without_classes_is_a_clear_error()
    {
        Assert.Contains("not found", Assert.Throws<DatasetException>(() => Datasets.Open(P("nowhere"))).Message);
        TestImages.Png(P("flat", "loose.png"));
        var e = Assert.Throws<DatasetException>(() => Datasets.Open(P("flat")));
        Assert.Contains("one sub-folder per class", e.Message);
    }

    [Fact]
    public void Csv_with_quotes_relative_paths_and_bad_rows()
    {
        TestImages.Png(P("imgs", "a, b.png"));
        TestImages.Png(P("imgs", "c.png"));
        File.WriteAllText(P("list.csv"), "label,path,notes\ncat,\"imgs/a, b.png\",x\ndog,imgs/c.png,\ndog,imgs/missing.png,\n,imgs/c.png,\n");

        var source = Datasets.Open(P("list.csv"));

        Assert.Equal("csv", source.Format);
        Assert.Equal(["cat", "dog"], source.Classes);
        Assert.Equal(2, source.Train.Count);
        Assert.Contains(source.Problems, p => p.Path.EndsWith("missing.png") && p.Reason.Contains("line 4"));
        Assert.Contains(source.Problems, p => p.Path == "list.csv:5");
        using var image = source.Train.Load(0);
    }

    [Fact]
    public void Csv_without_the_columns_says_what_it_expected()
    {
        File.WriteAllText(P("bad.csv"), "file,class\na.png,cat\n");
        var e = Assert.Throws<DatasetException>(() => Datasets.Open(P("bad.csv")));
        Assert.Contains("expected columns 'path' and 'label'", e.Message);
    }
}
