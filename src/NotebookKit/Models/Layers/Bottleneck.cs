using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NotebookKit.Models;

/// <summary>
/// torchvision's Bottleneck (1x1, 3x3 with the stride, 1x1 x4 and a shortcut), with TorchVision 0.107's module names
/// (<c>conv1</c>..<c>conv3</c>, <c>bn1</c>..<c>bn3</c>, <c>relu1</c>, <c>relu2</c>, <c>downsample</c>) so state dicts load
/// unchanged, and the residual addition done with a <see cref="Scalar"/> the block holds (see <see cref="KitBatchNorm2d"/>).
/// </summary>
public sealed class Bottleneck : Module<Tensor, Tensor>
{
    /// <summary>Output channels over <c>planes</c>.</summary>
    public const int Expansion = 4;

    // Declared in TorchVision's order: registration order decides the order of random initialisation.
    readonly Module<Tensor, Tensor> conv1;
    readonly Module<Tensor, Tensor> bn1;
    readonly Module<Tensor, Tensor> conv2;
    readonly Module<Tensor, Tensor> bn2;
    readonly Module<Tensor, Tensor> conv3;
    readonly Module<Tensor, Tensor> bn3;
    readonly Module<Tensor, Tensor> relu1;
    readonly Module<Tensor, Tensor> relu2;
    readonly Module<Tensor, Tensor>? downsample;
    readonly Scalar one = 1L.ToScalar();

    /// <summary>A block from <paramref name="inPlanes"/> to <paramref name="planes"/> x 4 channels.</summary>
    public Bottleneck(int inPlanes, int planes, int stride, Module<Tensor, Tensor>? downsample, Func<int, Module<Tensor, Tensor>> norm) : base(nameof(Bottleneck))
    {
        conv1 = Conv2d(inPlanes, planes, kernel_size: 1, bias: false);
        bn1 = norm(planes);
        relu1 = ReLU(inplace: true);
        conv2 = Conv2d(planes, planes, kernel_size: 3, stride: stride, padding: 1, bias: false);
        bn2 = norm(planes);
        relu2 = ReLU(inplace: true);
        conv3 = Conv2d(planes, Expansion * planes, kernel_size: 1, bias: false);
        bn3 = norm(Expansion * planes);
        this.downsample = downsample;
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        var x = relu1.call(bn1.call(conv1.call(input)));
        x = relu2.call(bn2.call(conv2.call(x)));
        x = bn3.call(conv3.call(x));
        var identity = downsample is null ? input : downsample.call(input);
        return x.add_(identity, one).relu_();
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv1.Dispose(); bn1.Dispose(); conv2.Dispose(); bn2.Dispose(); conv3.Dispose(); bn3.Dispose();
            relu1.Dispose(); relu2.Dispose(); downsample?.Dispose();
            one.Dispose();
        }
        base.Dispose(disposing);
    }
}
