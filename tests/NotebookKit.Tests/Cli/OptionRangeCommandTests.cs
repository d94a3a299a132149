using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Cli;

/// <summary>
/// Numbers on the command line are checked while it is parsed: one line naming the option, the value and the accepted
/// range, exit code 2, nothing on standard output, nothing run. Data that cannot be trained on is refused before training.
/// </summary>
public class OptionRangeCommandTests : IDisposable
{
    readonly TempDir home = new(), temp = new();
    public void Dispose()
    {
        home.Dispose();
        temp.Dispose();
    }

    ProcessResult Nbkit(params string[] arguments) => BuildOutputs.RunCliIn(home.Path, arguments, TimeSpan.FromMinutes(2));

    [Theory]
    [InlineData("train --image-size 5000", "--image-size 5000: expected a whole number from 16 to 1024 (the input's side in pixels).")]
    [InlineData("train --epochs 0", "--epochs 0: expected a whole number from 1 to 10000 (epochs per run).")]
    [InlineData("compare --epochs -1", "--epochs -1: expected a whole number from 1 to 10000 (epochs per run).")]
    [InlineData("train --epochs many", "--epochs many: expected a whole number from 1 to 10000 (epochs per run).")]
    [InlineData("compare --seeds 0", "--seeds 0: expected a whole number from 1 to 100 (seeds, each a full set of runs).")]
    [InlineData("study --seeds 101", "--seeds 101: expected a whole number from 1 to 100 (seeds, each a full set of runs).")]
    [InlineData("transferability --seeds -3", "--seeds -3: expected a whole number from 1 to 100 (seeds, each a full set of runs).")]
    [InlineData("train --batch-size 0", "--batch-size 0: expected a whole number from 1 to 4096 (images per batch).")]
    [InlineData("train --lr 0", "--lr 0: expected a number greater than 0 and at most 10 (the head's peak learning rate).")]
    [InlineData("compare --lr NaN", "--lr NaN: expected a number greater than 0 and at most 10 (the head's peak learning rate).")]
    [InlineData("train --lr 1e400", "--lr 1e400: expected a number greater than 0 and at most 10 (the head's peak learning rate).")]
    [InlineData("train --backbone-lr-mult 0", "--backbone-lr-mult 0: expected a number greater than 0 and at most 1 (the backbone's learning rate as a fraction of the head's).")]
    [InlineData("train --clip-grad-norm -1", "--clip-grad-norm -1: expected a finite number greater than 0 (the largest gradient norm).")]
    [InlineData("train --train-per-class 0", "--train-per-class 0: expected a whole number, 1 or more (images per class).")]
    [InlineData("compare --val-per-class -2", "--val-per-class -2: expected a whole number, 1 or more (images per class).")]
    [InlineData("study --min-steps -1", "--min-steps -1: expected a whole number from 0 to 10000 (optimiser steps at least, at every size).")]
    [InlineData("predict --top 0 x.jpg", "--top 0: expected a whole number from 1 to 1000 (classes shown per image).")]
    [InlineData("model summary --image-size 8", "--image-size 8: expected a whole number from 16 to 1024 (the input's side in pixels).")]
    [InlineData("export --checkpoint c --out m.onnx --opset 9", "--opset 9: expected a whole number from 13 to 21 (ONNX opsets the exporter writes).")]
    [InlineData("bench data --workers 0", "--workers 0: expected a whole number from 1 to 1024 (decoding threads).")]
    [InlineData("train --batch-size 4096 --image-size 1024", "--batch-size 4096 with --image-size 1024: one input batch would be 4096 x 3 x 1024 x 1024 floats (48.0 GiB), over the 1 GiB the kit allows. Lower --batch-size or --image-size.")]
    [InlineData("compare --strategies ,", "No strategy in ','. Use a comma-separated list of scratch, frozen, finetune, full, partial:N.")]
    public void A_number_out_of_range_is_refused_in_one_line_before_anything_runs(string command, string message)
    {
        var result = Nbkit(command.Split(' '));

        Assert.True(result.ExitCode == 2, result.Tail());
        Assert.Equal($"nbkit: {message}", result.StandardError.TrimEnd());
        Assert.Equal("", result.StandardOutput);
    }

    [Fact]
    public void A_dataset_with_one_class_or_no_validation_images_is_refused_before_training()
    {
        for (int i = 0; i < 4; i++) TestImages.Jpeg(Path.Combine(temp.Path, "one", "cat", $"{i}.jpg"));
        TestImages.Jpeg(Path.Combine(temp.Path, "csv", "a.jpg"));
        TestImages.Jpeg(Path.Combine(temp.Path, "csv", "b.jpg"));
        File.WriteAllText(Path.Combine(temp.Path, "csv", "labels.csv"), "path,label\na.jpg,dog\nb.jpg,dog\n");
        TestImages.Jpeg(Path.Combine(temp.Path, "single", "cat", "1.jpg"));
        TestImages.Jpeg(Path.Combine(temp.Path, "single", "dog", "1.jpg"));

        var folder = Nbkit("train", "--data", Path.Combine(temp.Path, "one"), "--epochs", "1", "--image-size", "32", "--json");
        var csv = Nbkit("compare", "--data", Path.Combine(temp.Path, "csv", "labels.csv"), "--preset", "smoke", "--out", Path.Combine(temp.Path, "out"), "--json");
        var tiny = Nbkit("train", "--data", Path.Combine(temp.Path, "single"), "--epochs", "1", "--image-size", "32");

        Assert.True(folder.ExitCode == 2, folder.Tail());
        Assert.Equal($"nbkit: {Path.Combine(temp.Path, "one")}: 1 class(es) with training images ('cat'); training needs at least two (with one, every prediction is right). "
            + "Give each class its own sub-folder (or label in the CSV), and check the data with `nbkit data inspect`.", folder.StandardError.TrimEnd());
        Assert.Equal(folder.StandardError.TrimEnd()["nbkit: ".Length..], JsonErrors.AssertOne(folder)); // --json: the same, as the JSON error object
        Assert.True(csv.ExitCode == 2, csv.Tail());
        Assert.StartsWith($"nbkit: {Path.Combine(temp.Path, "csv")}: 1 class(es) with training images ('dog'); training needs at least two", csv.StandardError);
        Assert.True(tiny.ExitCode == 2, tiny.Tail());
        Assert.Contains("no validation images (every class has fewer than two images)", tiny.StandardError);
        Assert.DoesNotContain("   at ", folder.StandardError + csv.StandardError + tiny.StandardError);
    }
}
