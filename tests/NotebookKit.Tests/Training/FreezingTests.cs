using NotebookKit.Models;
using NotebookKit.Runtime;
using NotebookKit.Training;

using static TorchSharp.torch;

namespace NotebookKit.Tests.Training;

public class FreezingTests
{
    public FreezingTests() => TorchRuntime.Require();

    static float Stat(ResNetModel model, string name) => model.state_dict()[name].sum().item<float>();

    [Fact]
    public void Freeze_up_to_a_stage_by_name_and_report_what_trains()
    {
        using var model = ResNetModel.Create("resnet18", 10);

        var report = Freezing.FreezeUpTo(model, "layer3");

        Assert.Equal(["stem", "layer1", "layer2", "layer3"], report.Stages.Where(s => s.Frozen).Select(s => s.Stage));
        Assert.All(model.named_parameters().Where(p => p.name.StartsWith("layer3")), p => Assert.False(p.parameter.requires_grad));
        Assert.All(model.named_parameters().Where(p => p.name.StartsWith("layer4") || p.name.StartsWith("fc")), p => Assert.True(p.parameter.requires_grad));
        Assert.Contains("frozen: stem, layer1, layer2, layer3", report.ToString());

        var after = Freezing.Unfreeze(model, "layer3");
        Assert.Equal(["stem", "layer1", "layer2"], after.Stages.Where(s => s.Frozen).Select(s => s.Stage));
        Assert.Contains("Stages are", Assert.Throws<ArgumentException>(() => Freezing.Freeze(model, "block7")).Message);
    }

    [Theory]
    [InlineData(BatchNormPolicy.FrozenStatistics, false)]
    [InlineData(BatchNormPolicy.Naive, true)]
    [InlineData(BatchNormPolicy.TrainAffine, true)]
    public void Batchnorm_statistics_of_frozen_stages_move_only_when_the_policy_says_so(BatchNormPolicy policy, bool statisticsMove)
    {
        using var model = ResNetModel.Create("resnet18", 4);
        Freezing.FreezeUpTo(model, "layer4", policy);
        float before = Stat(model, "layer2.0.bn1.running_mean");

        model.train();
        using (NewDisposeScope())
        using (no_grad())
            model.forward(randn(4, 3, 32, 32) * 3 + 1);

        Assert.Equal(statisticsMove, before != Stat(model, "layer2.0.bn1.running_mean"));
        Assert.Equal(policy == BatchNormPolicy.TrainAffine, model.named_parameters().Single(p => p.name == "layer2.0.bn1.weight").parameter.requires_grad);
        Assert.False(model.named_parameters().Single(p => p.name == "layer2.0.conv1.weight").parameter.requires_grad);
    }

    [Fact]
    public void Plain_model_train_keeps_frozen_batchnorm_statistics_still()
    {
        using var model = ResNetModel.Create("resnet18", 4);
        Freezing.FreezeUpTo(model, "layer3"); // default policy: frozen statistics
        float frozenBefore = Stat(model, "layer2.0.bn1.running_mean"), trainableBefore = Stat(model, "layer4.0.bn1.running_mean");

        model.train(); // what everyone types, coming from PyTorch
        using (NewDisposeScope())
        using (no_grad())
            model.forward(randn(4, 3, 32, 32) * 3 + 1);

        Assert.Equal(frozenBefore, Stat(model, "layer2.0.bn1.running_mean"));
        Assert.NotEqual(trainableBefore, Stat(model, "layer4.0.bn1.running_mean")); // unfrozen stages do train their statistics
        Assert.True(model.training);
        Assert.False(BatchNorm(model, "layer2.0.bn1").training);
        Assert.True(BatchNorm(model, "layer4.0.bn1").training);

        model.eval();
        Assert.False(BatchNorm(model, "layer4.0.bn1").training);
        Freezing.Unfreeze(model);
        model.train();
        Assert.True(BatchNorm(model, "layer2.0.bn1").training);
    }

    [Fact]
    public void A_model_inside_a_container_keeps_its_policy_when_the_container_trains()
    {
        using var model = ResNetModel.Create("resnet18", 4);
        Freezing.FreezeUpTo(model, "layer4");
        using var outer = TorchSharp.torch.nn.Sequential(("net", model));

        outer.train();

        Assert.False(BatchNorm(model, "layer1.0.bn1").training);
    }

    [Fact]
    public void Surgery_carries_the_freezing_state_explicitly()
    {
        using var model = ResNetModel.Create("resnet18", 4);
        Freezing.FreezeUpTo(model, "layer2", BatchNormPolicy.FrozenStatistics);

        var tenClasses = model.WithClassifier(10);
        Assert.Equal(["stem", "layer1", "layer2"], tenClasses.FrozenStages);
        Assert.All(tenClasses.Classifier.parameters(), p => Assert.True(p.requires_grad)); // the new head trains
        tenClasses.train();
        Assert.False(BatchNorm(tenClasses, "layer1.0.bn1").training);

        var truncated = model.TruncatedAfter("layer1", numClasses: 3);
        Assert.Equal(["stem", "layer1"], truncated.FrozenStages);

        var gray = model.WithGrayscaleInput();
        Assert.Equal(["stem", "layer1", "layer2"], gray.FrozenStages);
        Assert.False(gray.named_parameters().Single(p => p.name == "conv1.weight").parameter.requires_grad); // the new conv1 is frozen with its stem

        Assert.Contains("no stage 'layer3'", Assert.Throws<ArgumentException>(() => Freezing.Freeze(truncated, "layer3")).Message);
    }

    static TorchSharp.Modules.BatchNorm BatchNorm(ResNetModel model, string name) =>
        (TorchSharp.Modules.BatchNorm)model.named_modules().Single(m => m.name == name).module;

    [Fact]
    public void Discriminative_rates_rise_geometrically_from_stem_to_head_and_norms_get_no_decay()
    {
        using var model = ResNetModel.Create("resnet18", 4);
        var options = new OptimizerOptions { LearningRate = 0.01, BackboneLrMultiplier = 0.01, Discriminative = true };

        using var optimizer = options.Build(model, out var groups);

        var rates = groups.GroupBy(g => g.Stage).ToDictionary(g => g.Key, g => g.First().LearningRate);
        Assert.Equal(1e-4, rates["stem"], 10);
        Assert.Equal(1e-2, rates["layer4"], 10);
        Assert.Equal(1e-2, rates["head"], 10);
        Assert.Equal(1e-3, rates["layer2"], 10); // geometric midpoint of stem..layer4
        Assert.Equal(12, groups.Count); // six stages x (decay, no decay)
    }

    [Fact]
    public void Schedules_have_their_published_shapes()
    {
        Assert.Equal(1 / 25.0, LrSchedule.Factor(ScheduleKind.OneCycle, 0, 101), 6);
        Assert.Equal(1.0, LrSchedule.Factor(ScheduleKind.OneCycle, 25, 101), 6);
        Assert.True(LrSchedule.Factor(ScheduleKind.OneCycle, 100, 101) < 1e-3);
        Assert.True(LrSchedule.Factor(ScheduleKind.Cosine, 1, 101) < 0.3);
        Assert.Equal(0.5, LrSchedule.Factor(ScheduleKind.Cosine, 52, 101), 1);
        Assert.Equal(0.1, LrSchedule.Factor(ScheduleKind.Step, 50, 101));
        Assert.Equal(1.0, LrSchedule.Factor(ScheduleKind.None, 77, 101));
    }
}
