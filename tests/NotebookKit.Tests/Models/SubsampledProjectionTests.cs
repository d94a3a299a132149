using NotebookKit.Models;
using Xunit.Abstractions;
using NotebookKit.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NotebookKit.Tests.Models;

/// <summary>
/// Strided projection shortcuts as subsample + stride-1 1x1 convolution (<see cref="SubsampledProjection"/>), against
/// the path they replace: TorchVision's own ResNet (strided 1x1 convolution), trained as the kit did before, with oneDNN
/// off in backward. Same names, same initial weights for a seed, same outputs and gradients to fp32 rounding.
/// </summary>
public class SubsampledProjectionTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("resnet18")]
    [InlineData("resnet50")]
    public void Kit_resnets_have_torchvisions_names_and_initial_weights_and_no_strided_pointwise_convolution(string arch)
    {
        TorchRuntime.Require();
        using var scope = NewDisposeScope();
        manual_seed(7);
        using var kit = ResNetModel.Create(arch, 10);
        manual_seed(7);
        using var reference = TorchVision(arch);

        var expected = reference.state_dict();
        var actual = kit.state_dict();
        Assert.Equal(expected.Keys, actual.Keys); // same names, same order
        Assert.All(expected, e => Assert.True(Tensors.Same(e.Value, actual[e.Key]), $"{e.Key} differs"));

        var convs = kit.modules().OfType<Conv2d>().ToList();
        Assert.DoesNotContain(convs, c => c.kernel_size.SequenceEqual([1L, 1L]) && c.stride.Any(s => s != 1));
        Assert.Equal(["layer2.0.downsample", "layer3.0.downsample", "layer4.0.downsample"],
            kit.named_modules().Where(m => m.module is SubsampledProjection).Select(m => m.name));
    }

    [Theory]
    [InlineData(64)] // even feature maps (16, 8, 4, 2)
    [InlineData(72)] // odd ones (18, 9, 5, 3): the last row and column are kept, as by the strided convolution
    public void A_training_step_is_torchvisions_resnet50_step(int size)
    {
        TorchRuntime.Require();
        using var scope = NewDisposeScope();
        manual_seed(5);
        var x = randn(4, 3, size, size);
        var y = tensor(new long[] { 1, 7, 3, 7 });

        // In float64 (no oneDNN there) the two compute the same numbers: the same function, not an approximation.
        var kit64 = Step(() => ResNetModel.Create("resnet50", 10), ScalarType.Float64, x, y, oneDnnInBackward: true);
        var truth = Step(() => TorchVision("resnet50"), ScalarType.Float64, x, y, oneDnnInBackward: false);
        Assert.All(truth, t => Assert.True(RelativeDifference(kit64[t.Key], t.Value) < 1e-12, $"{t.Key} differs in float64"));

        // In float32, the kit's step (oneDNN on in backward) is as close to that truth as the path it replaces
        // (TorchVision's strided projection, oneDNN off in backward). Both are off by fp32 rounding, which BatchNorm
        // on 3x3 maps amplifies to ~1e-2 in some gradients: compare errors, not values.
        var kit = Step(() => ResNetModel.Create("resnet50", 10), ScalarType.Float32, x, y, oneDnnInBackward: true);
        var current = Step(() => TorchVision("resnet50"), ScalarType.Float32, x, y, oneDnnInBackward: false);
        var errors = truth.Keys.Select(k => (name: k, kit: RelativeDifference(kit[k], truth[k]), current: RelativeDifference(current[k], truth[k]),
            between: RelativeDifference(kit[k], current[k]))).ToList();
        var worst = errors.MaxBy(e => e.kit / Math.Max(e.current, 1e-7));
        output.WriteLine($"{size} px, float32 vs float64: logits kit {errors[0].kit:E2} / current {errors[0].current:E2}; "
            + $"largest error ratio {worst.kit / Math.Max(worst.current, 1e-7):F2} ({worst.name}: kit {worst.kit:E2}, current {worst.current:E2}); "
            + $"kit vs current: largest difference {errors.Max(e => e.between):E2} ({errors.MaxBy(e => e.between).name}), median {errors.Select(e => e.between).Order().ElementAt(errors.Count / 2):E2}");
        Assert.All(errors, e => Assert.True(e.kit <= 1.5 * e.current + 1e-6, $"{e.name}: kit error {e.kit:E2}, current path {e.current:E2}"));
    }

    /// <summary>One training-mode forward and backward from seed 11's initial weights (the same for both models): the logits, the BatchNorm running statistics and every gradient, in float64.</summary>
    static Dictionary<string, Tensor> Step(Func<nn.Module<Tensor, Tensor>> create, ScalarType dtype, Tensor x, Tensor y, bool oneDnnInBackward)
    {
        manual_seed(11);
        using (var model = create())
        {
            model.to(dtype);
            model.train();
            var logits = model.call(x.to(dtype));
            var loss = nn.functional.cross_entropy(logits, y);
            using (OneDnn.DisabledIf(!oneDnnInBackward)) loss.backward();
            var result = new Dictionary<string, Tensor> { ["logits"] = logits.detach().to(ScalarType.Float64) };
            foreach (var (name, buffer) in model.named_buffers()) if (name.Contains("running_")) result[name] = buffer.to(ScalarType.Float64);
            foreach (var (name, p) in model.named_parameters()) result[name + ".grad"] = p.grad!.to(ScalarType.Float64);
            return result;
        }
    }

    [Fact]
    public void The_projection_computes_the_strided_convolution_on_every_input_size()
    {
        TorchRuntime.Require();
        using var scope = NewDisposeScope();
        manual_seed(3);
        var strided = nn.Sequential(nn.Conv2d(8, 16, 1, stride: 2, bias: false), nn.BatchNorm2d(16));
        var weight = ((Conv2d)strided[0]).weight!.detach().clone();
        var projection = Assert.IsType<SubsampledProjection>(SubsampledProjection.Replacing(
            nn.Sequential(nn.Conv2d(8, 16, 1, stride: 2, bias: false), nn.BatchNorm2d(16))));
        using (no_grad()) projection.Conv.weight!.copy_(weight);

        foreach (int h in new[] { 1, 2, 3, 7, 10 })
        {
            var x = randn(2, 8, h, h + 1);
            var expected = strided.call(x);
            var actual = projection.call(x);
            Assert.Equal(expected.shape, actual.shape);
            Assert.True(RelativeDifference(actual, expected) < 1e-5, $"{h}x{h + 1}");
        }
    }

    [Fact]
    public void Other_shortcuts_are_left_as_they_are()
    {
        TorchRuntime.Require();
        using var scope = NewDisposeScope();
        var unstrided = nn.Sequential(nn.Conv2d(8, 16, 1, bias: false), nn.BatchNorm2d(16));         // layer1's projection
        var spatial = nn.Sequential(nn.Conv2d(8, 16, 3, stride: 2, padding: 1, bias: false), nn.BatchNorm2d(16));

        Assert.Same(unstrided, SubsampledProjection.Replacing(unstrided));
        Assert.Same(spatial, SubsampledProjection.Replacing(spatial));
        Assert.Null(SubsampledProjection.Replacing(null));
    }

    static double RelativeDifference(Tensor actual, Tensor expected)
    {
        using var scope = NewDisposeScope();
        double scale = expected.abs().max().to(ScalarType.Float64).item<double>();
        return (actual - expected).abs().max().to(ScalarType.Float64).item<double>() / Math.Max(scale, 1e-30);
    }

    static nn.Module<Tensor, Tensor> TorchVision(string arch) => arch switch
    {
        "resnet18" => torchvision.models.resnet18(num_classes: 10),
        "resnet50" => torchvision.models.resnet50(num_classes: 10),
        _ => throw new ArgumentException(arch, nameof(arch)),
    };
}
