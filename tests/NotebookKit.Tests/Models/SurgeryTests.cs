using NotebookKit.Models;
using NotebookKit.Runtime;
using NotebookKit.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookKit.Tests.Models;

static class Tensors
{
    public static bool Same(Tensor a, Tensor b)
    {
        using var scope = torch.NewDisposeScope(); // keeps the temporaries alive until the comparison is done
        return a.shape.SequenceEqual(b.shape) && (a == b).all().item<bool>();
    }
}

public class SurgeryTests
{
    public SurgeryTests() => TorchRuntime.Require();

    [Fact]
    public void State_dict_names_are_torchvisions()
    {
        using var model = ResNetModel.Create("resnet50");
        var names = model.state_dict().Keys.ToList();

        Assert.Equal(320, names.Count); // torchvision resnet50: 320 entries (161 parameters + BN buffers)
        Assert.Contains("conv1.weight", names);
        Assert.Contains("layer1.0.downsample.0.weight", names);
        Assert.Contains("layer4.2.bn3.running_var", names);
        Assert.Contains("fc.bias", names);
    }

    [Fact]
    public void Every_parameter_belongs_to_a_named_stage()
    {
        using var model = ResNetModel.Create("resnet18");
        var byStage = model.named_parameters().GroupBy(p => ResNetModel.StageOf(p.name)).ToDictionary(g => g.Key, g => g.Sum(p => p.parameter.numel()));

        Assert.Equal(Stages.All, byStage.Keys.OrderBy(k => Stages.All.ToList().IndexOf(k)));
        Assert.Equal(9_536, byStage["stem"]);            // conv1 64x3x7x7 + bn1 2x64
        Assert.Equal(513_000, byStage["head"]);          // 512 x 1000 + 1000
        Assert.Equal(11_689_512, byStage.Values.Sum());  // torchvision's resnet18
    }

    [Fact]
    public void Features_and_head_compose_to_the_forward_pass()
    {
        using var model = ResNetModel.Create("resnet18", 7);
        model.eval();
        using var scope = NewDisposeScope();
        var x = randn(2, 3, 64, 64);

        var features = model.ForwardFeatures(x);

        Assert.Equal([2, 512], features.shape);
        Assert.True(model.forward(x).allclose(model.ForwardHead(features)));
        Assert.Equal([2, 7], model.forward(x).shape);
    }

    [Fact]
    public void A_new_classifier_keeps_the_body_and_can_have_dropout_and_a_hidden_layer()
    {
        using var model = ResNetModel.Create("resnet18");
        var conv = model.state_dict()["layer3.0.conv1.weight"];

        var plain = model.WithClassifier(5);
        var deep = model.WithClassifier(5, dropout: 0.3, hidden: 128);

        Assert.True(Tensors.Same(plain.state_dict()["layer3.0.conv1.weight"], conv));
        Assert.Equal([5, 512], plain.state_dict()["fc.weight"].shape);
        Assert.Equal([128, 512], deep.state_dict()["fc.0.weight"].shape);
        Assert.Equal([5, 128], deep.state_dict()["fc.3.weight"].shape);
        Assert.Equal(5, deep.NumClasses);
    }

    [Fact]
    public void Truncation_keeps_the_first_stages_with_a_new_pooled_head()
    {
        using var model = ResNetModel.Create("resnet50");
        var truncated = model.TruncatedAfter("layer2", 3);
        using var scope = NewDisposeScope();

        Assert.Equal("layer2", truncated.LastStage);
        Assert.Equal(512, truncated.FeatureSize);
        Assert.Equal(["stem", "layer1", "layer2", "head"], truncated.StageNames);
        Assert.DoesNotContain(truncated.state_dict().Keys, k => k.StartsWith("layer3") || k.StartsWith("layer4"));
        Assert.Equal([4, 3], truncated.forward(randn(4, 3, 32, 32)).shape);
        Assert.Equal(64, model.TruncatedAfter("stem", 2).FeatureSize);
        Assert.Contains("Stages are", Assert.Throws<ArgumentException>(() => model.TruncatedAfter("layer9", 2)).Message);
    }

    [Fact]
    public void Grayscale_input_gives_the_same_output_as_the_gray_image_repeated_on_rgb()
    {
        using var model = ResNetModel.Create("resnet18", 4);
        model.eval();
        var gray = model.WithGrayscaleInput();
        gray.eval();
        using var scope = NewDisposeScope();
        var x = rand(2, 1, 48, 48);

        var expected = model.forward(x.expand(2, 3, 48, 48));
        var actual = gray.forward(x);

        Assert.Equal(1, gray.InputChannels);
        Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-5), $"max diff {(actual - expected).abs().max().item<float>()}");
    }

    [Fact]
    public void Unknown_architecture_lists_the_known_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => ResNetModel.Create("resnet9000"));
        Assert.Contains("resnet50", e.Message);
    }
}

public class StateDictFileTests : IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();
    public StateDictFileTests() => TorchRuntime.Require();

    [Theory]
    [InlineData("model.safetensors")]
    [InlineData("model.pth")]
    [InlineData("model.dat")]
    public void Save_and_load_round_trip_gives_identical_outputs(string file)
    {
        using var model = ResNetModel.Create("resnet18", 3);
        model.eval();
        var path = StateDicts.Write(model, Path.Combine(temp.Path, file));
        using var fresh = ResNetModel.Create("resnet18", 3);
        fresh.eval();

        var report = StateDicts.LoadInto(fresh, path);

        Assert.True(report.Complete, report.ToString());
        using var scope = NewDisposeScope();
        var x = randn(1, 3, 40, 40);
        Assert.True(Tensors.Same(model.forward(x), fresh.forward(x)));
    }

    [Fact]
    public void A_head_of_another_class_count_is_skipped_and_reported()
    {
        using var imagenet = ResNetModel.Create("resnet18", 1000);
        var path = StateDicts.Write(imagenet, Path.Combine(temp.Path, "in1k.safetensors"));
        using var mine = ResNetModel.Create("resnet18", 10);
        var headBefore = mine.state_dict()["fc.weight"].clone();

        var report = StateDicts.LoadInto(mine, path);

        Assert.True(report.SkippedHead);
        Assert.True(report.Complete, report.ToString());
        Assert.Equal(["fc.bias", "fc.weight"], report.Missing.Order());
        Assert.True(Tensors.Same(mine.state_dict()["fc.weight"], headBefore));
        Assert.True(Tensors.Same(mine.state_dict()["conv1.weight"], imagenet.state_dict()["conv1.weight"]));
        Assert.Equal(1000, StateDicts.ClassCount(StateDicts.Read(path)));
    }

    [Fact]
    public void Wrong_architecture_reports_mis_shaped_and_unexpected_keys_by_name()
    {
        using var resnet50 = ResNetModel.Create("resnet50", 10);
        var path = StateDicts.Write(resnet50, Path.Combine(temp.Path, "r50.safetensors"));
        using var resnet18 = ResNetModel.Create("resnet18", 10);

        Assert.Throws<IncompleteWeightsException>(() => StateDicts.LoadInto(resnet18, path));
        var report = StateDicts.LoadInto(resnet18, path, allowPartial: true);

        Assert.False(report.Complete);
        Assert.Contains(report.Mismatched, m => m.StartsWith("layer1.0.conv1.weight [64x64x1x1] vs model [64x64x3x3]"));
        Assert.Contains("layer1.0.conv3.weight", report.Unexpected);
    }

    [Fact]
    public void A_truncated_or_corrupt_file_is_a_clear_error_naming_it()
    {
        using var model = ResNetModel.Create("resnet18", 2);
        var good = StateDicts.Write(model, Path.Combine(temp.Path, "good.pth"));
        var bytes = File.ReadAllBytes(good);
        var truncated = Path.Combine(temp.Path, "truncated.pth");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 3)]);
        var garbage = Path.Combine(temp.Path, "garbage.safetensors");
        File.WriteAllText(garbage, "this is not a tensor file");

        Assert.Contains("truncated.pth", Assert.Throws<WeightsFormatException>(() => StateDicts.Read(truncated)).Message);
        Assert.Contains("garbage.safetensors", Assert.Throws<WeightsFormatException>(() => StateDicts.Read(garbage)).Message);
    }
}
