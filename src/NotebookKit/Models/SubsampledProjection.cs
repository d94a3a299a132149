using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace NotebookKit.Models;

/// <summary>
/// The projection shortcut of a strided residual block (torchvision's <c>downsample</c>: a 1x1 convolution with
/// stride s, then BatchNorm), computed as "keep every s-th row and column, then the same 1x1 convolution with stride 1".
/// Both are y[n, o, i, j] = sum_c W[o, c] x[n, c, s*i, s*j]: the same function, the same weights, the same output size.
/// Why: libtorch 2.10's oneDNN computes a strided 1x1 convolution's input gradient with a kernel whose set-up divides
/// by zero (SIGFPE, the process dies) on CPUs that report a small L1 cache to it; a stride-1 1x1 convolution does not
/// use that kernel (see <see cref="Runtime.OneDnn"/> and the README's troubleshooting).
/// The children keep torchvision's names (<c>0</c>: the convolution, <c>1</c>: the BatchNorm), so state dicts load
/// unchanged, and the convolution is a plain <see cref="Conv2d"/> (initialised, summarised and frozen as before).
/// </summary>
public sealed class SubsampledProjection : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "0")] readonly Conv2d conv;
    [ComponentName(Name = "1")] readonly nn.Module<Tensor, Tensor> norm;

    /// <summary>The 1x1 convolution (stride 1; it sees the subsampled input).</summary>
    public Conv2d Conv => conv;

    /// <summary>The normalisation after it (BatchNorm in torchvision's ResNets).</summary>
    public nn.Module<Tensor, Tensor> Norm => norm;

    /// <summary>The subsampling step: the stride of the convolution this replaces.</summary>
    public long Stride { get; }

    SubsampledProjection(Conv2d conv, nn.Module<Tensor, Tensor> norm, long stride) : base(nameof(SubsampledProjection))
    {
        this.conv = conv;
        this.norm = norm;
        Stride = stride;
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        using var rows = input.slice(2, 0, input.shape[2], Stride);
        using var sampled = rows.slice(3, 0, input.shape[3], Stride);
        using var projected = conv.call(sampled);
        return norm.call(projected);
    }

    /// <summary>
    /// <paramref name="downsample"/> as a subsampled projection when it is torchvision's strided one
    /// (Sequential(Conv2d 1x1 stride s &gt; 1 without padding, norm)); otherwise <paramref name="downsample"/> itself.
    /// Reuses its modules (the convolution's stride becomes 1), so nothing new is created and no random numbers are drawn.
    /// </summary>
    public static nn.Module<Tensor, Tensor>? Replacing(nn.Module<Tensor, Tensor>? downsample)
    {
        if (downsample is not Sequential { Count: 2 } sequential
            || sequential[0] is not Conv2d conv || sequential[1] is not nn.Module<Tensor, Tensor> norm
            || !IsStridedPointwise(conv))
            return downsample;
        long stride = conv.stride[0];
        conv.stride = [1, 1];
        return new SubsampledProjection(conv, norm, stride);
    }

    static bool IsStridedPointwise(Conv2d conv) =>
        conv.kernel_size is [1, 1] && conv.stride is [var sh, var sw] && sh == sw && sh > 1
        && conv.dilation is [1, 1] && conv.groups == 1 && conv.padding_type is null && conv.padding_mode == PaddingModes.Zeros
        && (conv.padding is null || conv.padding.All(p => p == 0));
}
