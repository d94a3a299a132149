using NotebookKit.Models;
using NotebookKit.Runtime;

namespace NotebookKit.Tests.Models;

public class ModelSummaryTests
{
    public ModelSummaryTests() => TorchRuntime.Require();

    // Parameters and GFLOPS as torchvision's model documentation reports them (IMAGENET1K_V1 tables, 224x224).
    [Theory]
    [InlineData("resnet18", 11_689_512, 1.81)]
    [InlineData("resnet50", 25_557_032, 4.09)]
    public void Parameters_and_flops_match_torchvisions_documentation(string architecture, long parameters, double gflops)
    {
        using var model = ResNetModel.Create(architecture);

        var summary = ModelSummary.Of(model, 224);

        Assert.Equal(parameters, summary.Parameters);
        Assert.Equal(parameters, summary.Stages.Sum(s => s.Parameters));
        Assert.Equal(gflops, Math.Round(summary.GigaMultiplyAdds, 2));
        Assert.Equal([1, 64, 112, 112], summary.Rows.Single(r => r.Name == "conv1").OutputShape);
        Assert.Equal([1, 1000], summary.Rows.Single(r => r.Name == "fc").OutputShape);
    }

    [Fact]
    public void Frozen_parts_are_marked_and_counted_apart()
    {
        using var model = ResNetModel.Create("resnet18", 10);
        foreach (var (name, p) in model.named_parameters())
            if (ResNetModel.StageOf(name) is "stem" or "layer1") p.requires_grad = false;

        var summary = ModelSummary.Of(model, 64);

        Assert.True(summary.Stages.Single(s => s.Stage == "layer1").Frozen);
        Assert.False(summary.Stages.Single(s => s.Stage == "layer2").Frozen);
        Assert.True(summary.Rows.Single(r => r.Name == "layer1.0").Frozen);
        Assert.False(summary.Rows.Single(r => r.Name == "relu").Frozen); // no parameters: not "frozen"
        Assert.Equal(summary.Parameters - 9_536 - 147_968, summary.Trainable);
        Assert.Equal([1, 512, 2, 2], summary.Rows.Single(r => r.Name == "layer4.1").OutputShape);
    }
}
