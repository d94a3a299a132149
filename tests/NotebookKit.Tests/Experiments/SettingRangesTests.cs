using NotebookKit.Data;
using NotebookKit.Data.Transforms;
using NotebookKit.Experiments;
using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Experiments;

/// <summary>The library refuses what the command line refuses, with the same words, where a notebook sets the value directly.</summary>
public class SettingRangesTests
{
    [Fact]
    public void Training_settings_refuse_a_value_out_of_range_naming_it_and_the_range()
    {
        var epochs = Assert.Throws<ArgumentOutOfRangeException>(() => new TrainSettings { Epochs = 0 });
        Assert.StartsWith("TrainSettings.Epochs = 0: expected a whole number from 1 to 10000 (epochs per run).", epochs.Message);
        Assert.Equal("TrainSettings.Epochs", epochs.ParamName);

        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainSettings { ImageSize = 5000 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainSettings { BatchSize = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainSettings { LearningRate = double.NaN });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainSettings { LearningRate = double.PositiveInfinity });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainSettings { BackboneLrMultiplier = 1.5 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainSettings { ValidationFraction = 1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainSettings { TrainPerClass = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainSettings { ValidationPerClass = -5 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainSettings { Workers = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainSettings() with { ClipGradNorm = 0 });

        var fine = new TrainSettings { Epochs = 1, ImageSize = 16, BatchSize = 1, LearningRate = 10, BackboneLrMultiplier = 1, TrainPerClass = null, ClipGradNorm = 1e-3 };
        Assert.Equal(16, fine.ImageSize);
        Assert.Same(fine, fine.Validate());
    }

    [Fact]
    public void A_batch_that_would_not_fit_in_memory_is_refused_before_any_data_is_read()
    {
        var settings = new TrainSettings { BatchSize = 4096, ImageSize = 1024, Data = "/nowhere" };

        var error = Assert.Throws<ArgumentException>(() => PreparedData.From(settings));
        Assert.Equal("TrainSettings.BatchSize 4096 with TrainSettings.ImageSize 1024: one input batch would be 4096 x 3 x 1024 x 1024 floats (48.0 GiB), over the 1 GiB the kit allows. "
            + "Lower TrainSettings.BatchSize or TrainSettings.ImageSize.", error.Message);
        Assert.Throws<ArgumentException>(() => new DataLoader(EmbeddedData.FashionMnistSmall().Train, ImagePipeline.Eval(30000, 30000, Normalization.None), new DataLoaderOptions { BatchSize = 2 }));
    }

    [Fact]
    public void Seeds_out_of_range_and_seeds_past_the_largest_integer_are_refused()
    {
        Assert.StartsWith("seeds = 0: expected a whole number from 1 to 100", Assert.Throws<ArgumentOutOfRangeException>(() => Comparer.SeedList(new TrainSettings(), 0)).Message);
        Assert.Contains("would go past 2147483647", Assert.Throws<ArgumentOutOfRangeException>(() => Comparer.SeedList(new TrainSettings { Seed = int.MaxValue }, 2)).Message);
        Assert.Equal([5, 6, 7], Comparer.SeedList(new TrainSettings { Seed = 5 }, 3));
    }

    [Fact]
    public void Data_with_one_class_is_refused_for_training_naming_the_dataset_and_the_class()
    {
        using var temp = new TempDir();
        for (int i = 0; i < 3; i++) TestImages.Jpeg(Path.Combine(temp.Path, "cat", $"{i}.jpg"));
        Directory.CreateDirectory(Path.Combine(temp.Path, "dog")); // an empty class folder is no class

        var error = Assert.Throws<DatasetException>(() => PreparedData.From(new TrainSettings { Data = temp.Path }));

        Assert.StartsWith($"{temp.Path}: 1 class(es) with training images ('cat'); training needs at least two", error.Message);
        Assert.Equal(2, error.ExitCode);
    }

    [Fact]
    public void Ranges_say_themselves_in_words()
    {
        Assert.Equal("a whole number from 16 to 1024 (the input's side in pixels)", Ranges.ImageSize.Expected);
        Assert.Equal("a whole number, 1 or more (images per class)", Ranges.PerClass.Expected);
        Assert.Equal("a finite number greater than 0 (the largest gradient norm)", Ranges.ClipGradNorm.Expected);
        Assert.Equal("a number greater than 0 and less than 1 (the share of images held out for validation)", Ranges.ValidationFraction.Expected);
        Assert.False(Ranges.Epochs.Accepts(1.5));
        Assert.Equal("--epochs 0: expected a whole number from 1 to 10000 (epochs per run).", Ranges.Epochs.Refusal("--epochs", "0"));
    }
}
