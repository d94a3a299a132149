using NotebookKit.Data;
using NotebookKit.Runtime;
using NotebookKit.Training;

namespace NotebookKit.Tests.Training;

public class RecipeTests
{
    public RecipeTests() => TorchRuntime.Require();

    [Fact]
    public void Frozen_imagenet_features_train_to_well_above_chance_on_the_embedded_data()
    {
        var pretrained = TrainingFixture.Pretrained(10);
        var (train, val) = TrainingFixture.Loaders(pretrained.Preprocessing, trainPerClass: 20, valPerClass: 10, size: 64, batch: 32);
        using var trainCache = FeatureCache.Compute(pretrained.Model, train, 32, shuffle: true, seed: 0);
        using var valCache = FeatureCache.Compute(pretrained.Model, val, 64, shuffle: false, seed: 0);

        var result = TrainingRecipes.FeatureExtraction(new RecipeInput(pretrained.Model, train, val,
            new TrainOptions { Epochs = 15, Optimizer = new OptimizerOptions { Kind = OptimizerKind.AdamW, LearningRate = 3e-3 } }, (trainCache, valCache)));

        Assert.True(result.FinalValidationAccuracy > 0.5, $"validation accuracy {result.FinalValidationAccuracy:P1} (chance: 10%)");
        Assert.Equal(10 * 512 + 10, Freezing.Report(pretrained.Model).Trainable);
    }

    [Fact]
    public void Cached_and_uncached_head_training_give_the_same_metrics()
    {
        TrainResult Run(bool cached)
        {
            TorchSharp.torch.manual_seed(7); // the new head's initial weights
            var pretrained = TrainingFixture.Pretrained(10);
            var (train, val) = TrainingFixture.Loaders(pretrained.Preprocessing, trainPerClass: 4, valPerClass: 2, size: 48, batch: 8);
            var options = new TrainOptions { Epochs = 3, Seed = 5, Optimizer = new OptimizerOptions { LearningRate = 0.05 } };
            if (!cached) return TrainingRecipes.FeatureExtraction(new RecipeInput(pretrained.Model, train, val, options));
            using var trainCache = FeatureCache.Compute(pretrained.Model, train, 8, shuffle: true, seed: 0);
            using var valCache = FeatureCache.Compute(pretrained.Model, val, 8, shuffle: false, seed: 0);
            return TrainingRecipes.FeatureExtraction(new RecipeInput(pretrained.Model, train, val, options, (trainCache, valCache)));
        }

        var uncached = Run(cached: false);
        var cached = Run(cached: true);

        Assert.Equal(uncached.History.Select(h => h.ValidationAccuracy), cached.History.Select(h => h.ValidationAccuracy));
        foreach (var (u, c) in uncached.History.Zip(cached.History))
        {
            Assert.Equal(u.TrainLoss, c.TrainLoss, 3);
            Assert.Equal(u.ValidationLoss, c.ValidationLoss, 3);
        }
    }

    [Fact]
    public void Fine_tune_trains_the_head_first_then_everything()
    {
        var pretrained = TrainingFixture.Pretrained(10);
        var (train, val) = TrainingFixture.Loaders(pretrained.Preprocessing, 2, 1, 32);

        var result = TrainingRecipes.FineTune(new RecipeInput(pretrained.Model, train, val, new TrainOptions { Epochs = 2 }));

        Assert.Equal(["head", "unfrozen"], result.History.Select(h => h.Phase));
        Assert.Equal([1, 2], result.History.Select(h => h.Epoch));
        Assert.Empty(Freezing.FrozenStages(pretrained.Model));
    }

    [Fact]
    public void Partial_fine_tune_freezes_the_first_stages()
    {
        var pretrained = TrainingFixture.Pretrained(10);
        var (train, val) = TrainingFixture.Loaders(pretrained.Preprocessing, 2, 1, 32);

        TrainingRecipes.PartialFineTune(new RecipeInput(pretrained.Model, train, val, new TrainOptions { Epochs = 1 }), frozenStages: 2);

        Assert.Equal(["layer1", "stem"], Freezing.FrozenStages(pretrained.Model).Order(StringComparer.Ordinal));
    }
}

public class LrFinderTests
{
    [Fact]
    public void The_range_test_returns_a_rising_rate_curve_a_suggestion_inside_it_and_restores_the_weights()
    {
        NotebookKit.Runtime.TorchRuntime.Require();
        var pretrained = TrainingFixture.Pretrained(10);
        var (train, _) = TrainingFixture.Loaders(pretrained.Preprocessing, trainPerClass: 10, valPerClass: 1, size: 32, batch: 10);
        using var cache = FeatureCache.Compute(pretrained.Model, train, 10, shuffle: true, seed: 0);
        Freezing.FreezeUpTo(pretrained.Model, "layer4");
        var before = pretrained.Model.state_dict()["fc.weight"].clone();

        var result = LrFinder.Run(pretrained.Model, cache, new OptimizerOptions { Kind = OptimizerKind.AdamW }, start: 1e-5, end: 10, steps: 50);

        Assert.True(result.Curve.Count >= 10);
        Assert.True(result.Curve.Zip(result.Curve.Skip(1)).All(p => p.Second.LearningRate > p.First.LearningRate));
        Assert.InRange(result.Suggestion, 1e-5, 10);
        Assert.True(NotebookKit.Tests.Models.Tensors.Same(before, pretrained.Model.state_dict()["fc.weight"]));
        var chart = NotebookKit.Charts.OfflineChart.ToHtmlFragmentWithoutLoader(NotebookKit.Charts.LrFinderChart.Figure(result));
        Assert.Contains("Learning-rate range test", chart);
        Assert.Contains("\"type\":\"log\"", chart);
    }
}
