using TorchSharp.Modules;

namespace NotebookKit.Models;

/// <summary>
/// The model's own freezing state: which stages are frozen and what their BatchNorm layers do (timm keeps this in the
/// model too). Because the state lives here, a plain <c>model.train()</c> (everyone's habit from PyTorch) applies the
/// BatchNorm policy: with <see cref="BatchNormPolicy.FrozenStatistics"/> the BatchNorm layers of frozen stages stay in
/// eval mode, so their running statistics cannot drift. <c>Training.Freezing</c> holds the readable public calls.
/// </summary>
public sealed partial class ResNetModel
{
    /// <summary>Frozen stages and the BatchNorm policy; immutable, replaced as a whole.</summary>
    sealed record FreezeState(IReadOnlySet<string> Stages, BatchNormPolicy Policy)
    {
        public static readonly FreezeState None = new(new HashSet<string>(StringComparer.Ordinal), BatchNormPolicy.FrozenStatistics);

        public FreezeState With(IEnumerable<string> stages, bool frozen)
        {
            var next = new HashSet<string>(Stages, StringComparer.Ordinal);
            foreach (var stage in stages) { if (frozen) next.Add(stage); else next.Remove(stage); }
            return this with { Stages = next };
        }

        public FreezeState Without(string stage) => With([stage], frozen: false);

        public FreezeState Only(IEnumerable<string> kept) => this with { Stages = Stages.Intersect(kept, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal) };
    }

    FreezeState freeze = FreezeState.None;

    /// <summary>The stages frozen now, in model order.</summary>
    public IReadOnlyList<string> FrozenStages => StageNames.Where(freeze.Stages.Contains).ToList();

    /// <summary>What BatchNorm layers of frozen stages do (default <see cref="BatchNormPolicy.FrozenStatistics"/>).</summary>
    public BatchNormPolicy BatchNormPolicy => freeze.Policy;

    /// <summary>
    /// Training mode for every module, then the BatchNorm policy: with <see cref="BatchNormPolicy.FrozenStatistics"/>
    /// the BatchNorm layers of frozen stages go back to eval mode so their running statistics do not move.
    /// </summary>
    public override void train(bool on = true)
    {
        base.train(on);
        if (!on || freeze.Policy != BatchNormPolicy.FrozenStatistics) return;
        foreach (var stage in freeze.Stages)
            foreach (var module in ModulesOf(stage))
                foreach (var bn in BatchNorms(module)) bn.eval();
    }

    /// <summary>Freezes (or unfreezes) the named stages; a non-null <paramref name="policy"/> replaces the model's policy.</summary>
    internal TrainableReport SetFrozen(IEnumerable<string> stages, bool frozen, BatchNormPolicy? policy)
    {
        var names = stages.ToList();
        foreach (var stage in names)
        {
            Stages.Check(stage, nameof(stages));
            if (!StageNames.Contains(stage))
                throw new ArgumentException($"This model has no stage '{stage}' (it has {string.Join(", ", StageNames)}).", nameof(stages));
        }
        Apply(freeze.With(names, frozen) with { Policy = policy ?? freeze.Policy });
        return Trainability();
    }

    /// <summary>Trainable parameters per stage, with the frozen stages and the policy.</summary>
    public TrainableReport Trainability()
    {
        var all = named_parameters().ToList();
        return new TrainableReport(StageNames.Select(stage =>
        {
            var ps = all.Where(p => StageOf(p.name) == stage).Select(p => p.parameter).ToList();
            return new StageSummary(stage, ps.Sum(p => p.numel()), ps.Where(p => p.requires_grad).Sum(p => p.numel()));
        }).ToList(), freeze.Policy) { FrozenStages = FrozenStages };
    }

    /// <summary>Makes every parameter's <c>requires_grad</c> and every BatchNorm's mode follow <paramref name="state"/>.</summary>
    void Apply(FreezeState state)
    {
        freeze = state;
        foreach (var stage in StageNames)
        {
            bool frozen = state.Stages.Contains(stage);
            foreach (var module in ModulesOf(stage))
            {
                foreach (var parameter in module.parameters()) parameter.requires_grad = !frozen;
                if (frozen && state.Policy == BatchNormPolicy.TrainAffine)
                    foreach (var bn in BatchNorms(module))
                        foreach (var parameter in bn.parameters()) parameter.requires_grad = true;
            }
        }
        train(training);
    }

    /// <summary>Surgery: the new model takes over the state it was given (stages it lacks are dropped).</summary>
    void Carry(FreezeState state) => Apply(state.Only(StageNames));

    static IEnumerable<BatchNorm> BatchNorms(TorchSharp.torch.nn.Module module) =>
        (module is BatchNorm self ? [self] : Array.Empty<BatchNorm>()).Concat(module.modules().OfType<BatchNorm>()).Distinct();
}
