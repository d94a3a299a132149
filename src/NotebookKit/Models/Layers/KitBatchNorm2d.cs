using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace NotebookKit.Models;

/// <summary>
/// TorchSharp's <c>BatchNorm2d</c> with one change: the <c>num_batches_tracked += 1</c> of every training step uses a
/// <see cref="Scalar"/> the module holds for its lifetime. TorchSharp 0.107 creates that Scalar implicitly for each call,
/// and nothing keeps it alive while the native call runs, so a garbage collection at the wrong moment can finalise it
/// mid-call ("Unknown scalar type" in <c>THSTensor_add_scalar_</c>, a crash after minutes of training:
/// dotnet/TorchSharp#1434). Same parameter and buffer names (<c>weight</c>, <c>bias</c>, <c>running_mean</c>,
/// <c>running_var</c>, <c>num_batches_tracked</c>) and the same numerics (the same native batch_norm call).
/// </summary>
public sealed class KitBatchNorm2d : BatchNorm
{
    readonly Scalar one = 1L.ToScalar();

    /// <summary>A BatchNorm over <paramref name="features"/> channels (eps 1e-5, momentum 0.1, affine, tracking statistics: PyTorch's defaults).</summary>
    public KitBatchNorm2d(long features, double eps = 1e-5, double momentum = 0.1)
        : base(features, eps, momentum, affine: true, track_running_stats: true, device: null, dtype: null, name: "BatchNorm2d")
    {
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        ValidateInputDimensions(input);
        double factor = momentum ?? 0.0;
        if (training && track_running_stats && num_batches_tracked is { } tracked)
        {
            tracked.add_(one, one); // the alpha too: add_(x) makes an implicit alpha Scalar of 1
            if (momentum is null) factor = 1.0 / tracked.item<long>();
        }
        bool useBatchStatistics = training || (running_mean is null && running_var is null);
        bool useRunning = !training || track_running_stats;
        return F.batch_norm(input, useRunning ? running_mean : null, useRunning ? running_var : null, weight, bias, useBatchStatistics, factor, eps);
    }

    /// <inheritdoc/>
    protected override void ValidateInputDimensions(Tensor input)
    {
        if (input.ndim != 4) throw new ArgumentException($"expected 4D input, but got {input.ndim}D input.");
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing) one.Dispose();
        base.Dispose(disposing);
    }
}
