using NotebookKit.Models;

namespace NotebookKit.Training;

/// <summary>Which optimizer.</summary>
public enum OptimizerKind
{
    /// <summary>SGD with (Nesterov-free) momentum.</summary>
    Sgd,
    /// <summary>Adam (AdamW without weight decay coupling is Adam with decoupled decay 0).</summary>
    Adam,
    /// <summary>AdamW (decoupled weight decay).</summary>
    AdamW,
}

/// <summary>
/// How parameters are optimised. Every default is stated here. Learning rates are per stage: the head gets
/// <see cref="LearningRate"/>, the body <see cref="LearningRate"/> x <see cref="BackboneLrMultiplier"/>, spread
/// geometrically from the stem (lowest) to layer4 when <see cref="Discriminative"/> (fastai's <c>slice(lo, hi)</c>).
/// </summary>
public sealed record OptimizerOptions
{
    /// <summary>Optimizer. Default SGD.</summary>
    public OptimizerKind Kind { get; init; } = OptimizerKind.Sgd;

    /// <summary>Peak learning rate of the head. Default 0.01.</summary>
    public double LearningRate { get; init; } = 0.01;

    /// <summary>Backbone learning rate as a fraction of the head's. Default 1 (same rate).</summary>
    public double BackboneLrMultiplier { get; init; } = 1.0;

    /// <summary>Spread body rates from LearningRate x BackboneLrMultiplier (stem) up to LearningRate (layer4). Default false.</summary>
    public bool Discriminative { get; init; }

    /// <summary>SGD momentum. Default 0.9.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Weight decay. Default 1e-4.</summary>
    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>No weight decay on BatchNorm parameters and biases (common practice, timm's default). Default true.</summary>
    public bool NoDecayOnNormAndBias { get; init; } = true;

    /// <summary>The learning rate each stage gets.</summary>
    public double LearningRateOf(string stage, IReadOnlyList<string> stages)
    {
        if (stage == Stages.Head) return LearningRate;
        double low = LearningRate * BackboneLrMultiplier;
        if (!Discriminative) return low;
        var body = stages.Where(s => s != Stages.Head).ToList();
        int i = body.IndexOf(stage);
        if (body.Count <= 1) return low;
        return low * Math.Pow(LearningRate / low, (double)i / (body.Count - 1));
    }

    /// <summary>
    /// Builds the kit's optimizer (<see cref="SgdOptimizer"/> or <see cref="AdamWOptimizer"/>) over the model's trainable
    /// parameters, one group per (stage, decay) pair, each at its stage's learning rate.
    /// </summary>
    public KitOptimizer Build(ResNetModel model, out IReadOnlyList<(string Stage, double LearningRate)> groups)
    {
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        if (trainable.Count == 0) throw new InvalidOperationException("No trainable parameters: every stage is frozen. Unfreeze at least the head.");
        var split = trainable
            .GroupBy(p => (Stage: ResNetModel.StageOf(p.name), Decay: !(NoDecayOnNormAndBias && (p.parameter.dim() <= 1))))
            .OrderBy(g => model.StageNames.ToList().IndexOf(g.Key.Stage)).ThenBy(g => g.Key.Decay)
            .Select(g => new ParameterGroup(g.Key.Stage, g.Select(p => (p.name, p.parameter)).ToList(), g.Key.Decay && Kind != OptimizerKind.Adam ? WeightDecay : 0)
            {
                LearningRate = LearningRateOf(g.Key.Stage, model.StageNames),
            })
            .ToList();
        groups = split.Select(g => (g.Stage, g.LearningRate)).ToList();
        return Kind == OptimizerKind.Sgd ? new SgdOptimizer(split, Momentum) : new AdamWOptimizer(split);
    }
}
