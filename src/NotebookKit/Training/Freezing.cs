using NotebookKit.Models;

namespace NotebookKit.Training;

/// <summary>
/// Freezing by stage name (never by index): <c>Freeze(model, "stem", "layer1")</c>, <c>FreezeUpTo(model, "layer3")</c>,
/// <c>Unfreeze(model)</c>. Thin, readable calls over the model's own state (<see cref="ResNetModel.FrozenStages"/>,
/// <see cref="ResNetModel.BatchNormPolicy"/>): once frozen, a plain <c>model.train()</c> keeps frozen BatchNorm layers in
/// eval mode under the default <see cref="BatchNormPolicy.FrozenStatistics"/>.
/// </summary>
public static class Freezing
{
    /// <summary>Freezes the named stages (<c>stem</c>, <c>layer1</c>..<c>layer4</c>, <c>head</c>), keeping the model's BatchNorm policy.</summary>
    public static TrainableReport Freeze(ResNetModel model, params string[] stages) => model.SetFrozen(stages, frozen: true, policy: null);

    /// <summary>Freezes the named stages with a BatchNorm policy (which then applies to every frozen stage).</summary>
    public static TrainableReport Freeze(ResNetModel model, BatchNormPolicy policy, params string[] stages) => model.SetFrozen(stages, frozen: true, policy);

    /// <summary>Unfreezes the named stages, or every stage when none is named.</summary>
    public static TrainableReport Unfreeze(ResNetModel model, params string[] stages) =>
        model.SetFrozen(stages.Length == 0 ? model.StageNames : stages, frozen: false, policy: null);

    /// <summary>Freezes every body stage up to and including <paramref name="lastFrozen"/> (e.g. <c>layer3</c>: stem, layer1..layer3).</summary>
    public static TrainableReport FreezeUpTo(ResNetModel model, string lastFrozen, BatchNormPolicy policy = BatchNormPolicy.FrozenStatistics)
    {
        Stages.Check(lastFrozen, nameof(lastFrozen));
        int last = model.StageNames.ToList().IndexOf(lastFrozen);
        if (last < 0) throw new ArgumentException($"This model has no stage '{lastFrozen}' (it has {string.Join(", ", model.StageNames)}).", nameof(lastFrozen));
        return model.SetFrozen(model.StageNames.Take(last + 1), frozen: true, policy);
    }

    /// <summary>Freezes exactly the first <paramref name="count"/> stages (stem is the first; Yosinski et al.'s "first n layers").</summary>
    public static TrainableReport FreezeFirst(ResNetModel model, int count, BatchNormPolicy policy = BatchNormPolicy.FrozenStatistics)
    {
        if (count < 0 || count > Stages.Body.Count) throw new ArgumentOutOfRangeException(nameof(count), count, $"Between 0 and {Stages.Body.Count} body stages can be frozen.");
        Unfreeze(model);
        return count == 0 ? model.Trainability() : FreezeUpTo(model, Stages.Body[count - 1], policy);
    }

    /// <summary>The stages frozen now (<see cref="ResNetModel.FrozenStages"/>).</summary>
    public static IReadOnlyList<string> FrozenStages(ResNetModel model) => model.FrozenStages;

    /// <summary>Trainable parameters per stage (<see cref="ResNetModel.Trainability"/>).</summary>
    public static TrainableReport Report(ResNetModel model) => model.Trainability();
}
