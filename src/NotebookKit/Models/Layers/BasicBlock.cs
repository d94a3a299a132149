using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NotebookKit.Models;

/// <summary>
/// torchvision's BasicBlock (two 3x3 convolutions and a shortcut), with TorchVision 0.107's module names (<c>conv1</c>,
/// <c>bn1</c>, <c>relu1</c>, <c>conv2</c>, <c>bn2</c>, <c>downsample</c>) so state dicts load unchanged, and the residual
/// addition done with a <see cref="Scalar"/> the block holds (see <see cref="KitBatchNorm2d"/> for why).
/// </summary>
public sealed class BasicBlock : Module<Tensor, Tensor>
{
    // Declared in TorchVision's order: registration order decides the order of random initialisation.
    readonly Module<Tensor, Tensor> conv1;
    readonly Module<Tensor, Tensor> bn1;
    readonly Module<Tensor, Tensor> conv2;
    readonly Module<Tensor, Tensor> bn2;
    readonly Module<Tensor, Tensor> relu1;
    readonly Module<Tensor, Tensor>? downsample;
    readonly Scalar one = 1L.ToScalar();

    /// <summary>A block from <paramref name="inPlanes"/> to <paramref name="planes"/> channels.</summary>
    public BasicBlock(int inPlanes, int planes, int stride, Module<Tensor, Tensor>? downsample, Func<int, Module<Tensor, Tensor>> norm) : base(nameof(BasicBlock))
    {
        conv1 = Conv2d(inPlanes, planes, kernel_size: 3, stride: stride, padding: 1, bias: false);
        bn1 = norm(planes);
        relu1 = ReLU(inplace: true);
        conv2 = Conv2d(planes, planes, kernel_size: 3, stride: 1, padding: 1, bias: false);
        bn2 = norm(planes);
        this.downsample = downsample;
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        var x = relu1.call(bn1.call(conv1.call(input)));
        x = bn2.call(conv2.call(x));
        var identity = downsample is null ? input : downsample.call(input);
        return x.add_(identity, one).relu_();
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv1.Dispose(); bn1.Dispose(); conv2.Dispose(); bn2.Dispose(); relu1.Dispose(); downsample?.Dispose();
            one.Dispose();
        }
        base.Dispose(disposing);
    }
}
