using TorchSharp;
using static TorchSharp.torch;

namespace NotebookKit.Training;

/// <summary>
/// AdamW (decoupled weight decay; Adam when the decay is 0): <c>p ·= 1 − lr·wd; m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²;
/// p −= lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε)</c>. PyTorch's and TorchSharp's arithmetic (β = 0.9, 0.999; ε = 1e-8), with
/// every Scalar held through its native call.
/// </summary>
public sealed class AdamWOptimizer(IReadOnlyList<ParameterGroup> groups, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8) : KitOptimizer(groups)
{
    /// <inheritdoc/>
    public override string Kind => "adamw";

    /// <inheritdoc/>
    protected override void Update(ParameterGroup group)
    {
        double lr = group.LearningRate;
        using var shrink = (1 - lr * group.WeightDecay).ToScalar();
        using var b1 = beta1.ToScalar();
        using var b2 = beta2.ToScalar();
        using var oneMinusB1 = (1 - beta1).ToScalar();
        using var oneMinusB2 = (1 - beta2).ToScalar();
        using var epsilon = eps.ToScalar();
        using var one = 1.0.ToScalar();
        foreach (var (name, p) in group.Parameters)
        {
            using var grad = p.grad;
            if (grad is null) continue;
            var count = State(name, "step", () => zeros(1, dtype: float64));
            count.add_(one, one); // the alpha too: add_(x) makes an implicit alpha Scalar of 1
            double t = count.item<double>();
            p.mul_(shrink);
            double bias1 = 1 - Math.Pow(beta1, t), bias2 = 1 - Math.Pow(beta2, t);
            var m = State(name, "exp_avg", () => zeros_like(p));
            var v = State(name, "exp_avg_sq", () => zeros_like(p));
            m.mul_(b1).add_(grad, oneMinusB1);
            v.mul_(b2).addcmul_(grad, grad, oneMinusB2);
            using var root = Math.Sqrt(bias2).ToScalar();
            using var stepSize = (-lr / bias1).ToScalar();
            var denominator = v.sqrt().div_(root).add_(epsilon, one);
            p.addcdiv_(m, denominator, stepSize);
        }
    }
}
