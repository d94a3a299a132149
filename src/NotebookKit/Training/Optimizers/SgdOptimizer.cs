using TorchSharp;
using static TorchSharp.torch;

namespace NotebookKit.Training;

/// <summary>
/// SGD with momentum (no dampening, no Nesterov): <c>d = g + wd·p; buf = momentum·buf + d</c> (buf = d at the first
/// step); <c>p -= lr·buf</c>. PyTorch's and TorchSharp's arithmetic, with every Scalar held through its native call.
/// </summary>
public sealed class SgdOptimizer(IReadOnlyList<ParameterGroup> groups, double momentum) : KitOptimizer(groups)
{
    /// <inheritdoc/>
    public override string Kind => "sgd";

    /// <inheritdoc/>
    protected override void Update(ParameterGroup group)
    {
        using var decay = group.WeightDecay.ToScalar();
        using var keep = momentum.ToScalar();
        using var one = 1.0.ToScalar();
        using var step = (-group.LearningRate).ToScalar();
        foreach (var (name, p) in group.Parameters)
        {
            using var grad = p.grad;
            if (grad is null) continue;
            var d = group.WeightDecay != 0 ? grad.add(p, decay) : grad;
            if (momentum != 0)
            {
                bool first = !HasState(name, "momentum_buffer");
                var buffer = State(name, "momentum_buffer", () => d.clone());
                if (!first) buffer.mul_(keep).add_(d, one);
                d = buffer;
            }
            p.add_(d, step);
        }
    }
}
