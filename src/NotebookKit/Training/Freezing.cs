using System.Runtime.CompilerServices;
using NotebookKit.Models;
using TorchSharp.Modules;

namespace NotebookKit.Training;

/// <summary>What happens to BatchNorm layers inside frozen stages. The choice matters (pytorch#86590, keras#9965).</summary>
public enum BatchNormPolicy
{
    /// <summary>Frozen stages keep BatchNorm in eval mode even while the model trains: statistics stay those of
    /// the pretrained network (Keras's <c>training=False</c>). The default, and what "frozen" should mean.</summary>
    FrozenStatistics,
    /// <summary>BatchNorm's affine parameters stay trainable and its statistics update, everything else frozen (fastai's <c>train_bn</c>).</summary>
    TrainAffine,
    /// <summary>Weights frozen, but BatchNorm statistics update in training mode: the common pitfall, kept to demonstrate it.</summary>
    Naive,
}

/// <summary>Trainable parameters per stage, after freezing.</summary>
public sealed record TrainableReport(IReadOnlyList<StageSummary> Stages, BatchNormPolicy Policy)
{
    /// <summary>All parameters.</summary>
    public long Parameters => Stages.Sum(s => s.Parameters);

    /// <summary>Trainable parameters.</summary>
    public long Trainable => Stages.Sum(s => s.Trainable);

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Trainable:N0} of {Parameters:N0} parameters trainable; frozen: {string.Join(", ", Stages.Where(s => s.Frozen).Select(s => s.Stage).DefaultIfEmpty("none"))}; BatchNorm: {Policy}";
}

/// <summary>
/// Freezing by stage name (never by index): <c>Freeze(model, "stem", "layer1")</c>, <c>FreezeUpTo(model, "layer3")</c>,
/// <c>Unfreeze(model)</c>. Thin public calls over one private implementation; the BatchNorm policy is explicit and
/// applied by <see cref="Train"/>, which the trainer calls instead of <c>model.train()</c>.
/// </summary>
public static class Freezing
{
    sealed class State
    {
        public HashSet<string> Frozen { get; } = new(StringComparer.Ordinal);
        public BatchNormPolicy Policy { get; set; }
    }

    static readonly ConditionalWeakTable<ResNetModel, State> states = new();

    /// <summary>Freezes the named stages (<c>stem</c>, <c>layer1</c>..<c>layer4</c>, <c>head</c>).</summary>
    public static TrainableReport Freeze(ResNetModel model, params string[] stages) => Set(model, stages, frozen: true, policy: null);

    /// <summary>Freezes the named stages with a BatchNorm policy.</summary>
    public static TrainableReport Freeze(ResNetModel model, BatchNormPolicy policy, params string[] stages) => Set(model, stages, frozen: true, policy);

    /// <summary>Unfreezes the named stages, or every stage when none is named.</summary>
    public static TrainableReport Unfreeze(ResNetModel model, params string[] stages) =>
        Set(model, stages.Length == 0 ? [.. model.StageNames] : stages, frozen: false, policy: null);

    /// <summary>Freezes every body stage up to and including <paramref name="lastFrozen"/> (e.g. <c>layer3</c>: stem, layer1..layer3).</summary>
    public static TrainableReport FreezeUpTo(ResNetModel model, string lastFrozen, BatchNormPolicy policy = BatchNormPolicy.FrozenStatistics)
    {
        Stages.Check(lastFrozen, nameof(lastFrozen));
        var order = model.StageNames.ToList();
        int last = order.IndexOf(lastFrozen);
        if (last < 0) throw new ArgumentException($"This model has no stage '{lastFrozen}' (it has {string.Join(", ", order)}).", nameof(lastFrozen));
        return Set(model, order.Take(last + 1).ToArray(), frozen: true, policy);
    }

    /// <summary>Freezes the first <paramref name="count"/> stages (stem is the first; Yosinski et al.'s "first n layers").</summary>
    public static TrainableReport FreezeFirst(ResNetModel model, int count, BatchNormPolicy policy = BatchNormPolicy.FrozenStatistics)
    {
        if (count < 0 || count > Stages.Body.Count) throw new ArgumentOutOfRangeException(nameof(count), count, $"Between 0 and {Stages.Body.Count} body stages can be frozen.");
        Unfreeze(model);
        return count == 0 ? Report(model) : FreezeUpTo(model, Stages.Body[count - 1], policy);
    }

    /// <summary>The stages frozen now.</summary>
    public static IReadOnlySet<string> FrozenStages(ResNetModel model) => states.GetOrCreateValue(model).Frozen;

    /// <summary>The BatchNorm policy in force.</summary>
    public static BatchNormPolicy PolicyOf(ResNetModel model) => states.GetOrCreateValue(model).Policy;

    /// <summary>Trainable parameters per stage.</summary>
    public static TrainableReport Report(ResNetModel model)
    {
        var all = model.named_parameters().ToList();
        return new TrainableReport(model.StageNames.Select(stage =>
        {
            var ps = all.Where(p => ResNetModel.StageOf(p.name) == stage).Select(p => p.parameter).ToList();
            return new StageSummary(stage, ps.Sum(p => p.numel()), ps.Where(p => p.requires_grad).Sum(p => p.numel()));
        }).ToList(), PolicyOf(model));
    }

    /// <summary>
    /// Puts the model in training mode, then applies the BatchNorm policy: with <see cref="BatchNormPolicy.FrozenStatistics"/>,
    /// BatchNorm layers of frozen stages go back to eval mode so their running statistics do not move.
    /// </summary>
    public static void Train(ResNetModel model)
    {
        model.train();
        var state = states.GetOrCreateValue(model);
        if (state.Policy != BatchNormPolicy.FrozenStatistics) return;
        foreach (var stage in state.Frozen)
            foreach (var module in model.ModulesOf(stage))
                foreach (var bn in BatchNorms(module)) bn.eval();
    }

    static TrainableReport Set(ResNetModel model, IEnumerable<string> stages, bool frozen, BatchNormPolicy? policy)
    {
        var state = states.GetOrCreateValue(model);
        if (policy is { } p) state.Policy = p;
        foreach (var stage in stages)
        {
            Stages.Check(stage, nameof(stages));
            foreach (var module in model.ModulesOf(stage))
            {
                foreach (var parameter in module.parameters()) parameter.requires_grad = !frozen;
                if (frozen && state.Policy == BatchNormPolicy.TrainAffine)
                    foreach (var bn in BatchNorms(module))
                        foreach (var parameter in bn.parameters()) parameter.requires_grad = true;
            }
            if (frozen) state.Frozen.Add(stage); else state.Frozen.Remove(stage);
        }
        return Report(model);
    }

    static IEnumerable<BatchNorm2d> BatchNorms(TorchSharp.torch.nn.Module module) =>
        (module is BatchNorm2d self ? [self] : Array.Empty<BatchNorm2d>()).Concat(module.modules().OfType<BatchNorm2d>()).Distinct();
}
