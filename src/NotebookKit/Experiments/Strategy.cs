using System.Globalization;
using NotebookKit.Training;

namespace NotebookKit.Experiments;

/// <summary>
/// A strategy for the transferred layers: a small record that knows its name (as on the command line), a sentence for
/// reports, and how to train, with fastai's knobs as parameters whose defaults are stated. The hierarchy is closed:
/// <see cref="Scratch"/>, <see cref="FeatureExtraction"/>, <see cref="FineTune"/>, <see cref="FullFineTune"/>,
/// <see cref="PartialFineTune"/>. <see cref="Parse"/> reads <c>scratch</c>, <c>frozen</c>, <c>finetune</c>, <c>full</c>, <c>partial:N</c>.
/// </summary>
public abstract record Strategy
{
    private protected Strategy() { }

    /// <summary>The name used in results and on the command line.</summary>
    public abstract string Name { get; }

    /// <summary>A sentence for reports, with the knobs' values.</summary>
    public abstract string Description { get; }

    /// <summary>How a verdict names it ("fine-tuning", "feature extraction").</summary>
    public abstract string Title { get; }

    /// <summary>Whether it starts from pretrained weights (scratch does not).</summary>
    public virtual bool Pretrained => true;

    /// <summary>Whether the transferred layers train: the strategies a verdict compares against feature extraction.</summary>
    public virtual bool TunesTransferredLayers => true;

    /// <summary>Whether it can train on backbone features computed once (a frozen body, no augmentation).</summary>
    public virtual bool CanUseFeatureCache => false;

    /// <summary>The strategy as <paramref name="settings"/> configure it (their backbone multiplier, when set, replaces the default).</summary>
    public Strategy For(TrainSettings settings) => settings.BackboneLrMultiplier is { } m ? WithBackboneLrMultiplier(m) : this;

    /// <summary>The same strategy with another backbone learning-rate multiplier (strategies without one return themselves).</summary>
    public virtual Strategy WithBackboneLrMultiplier(double multiplier) => this;

    /// <summary>The phases of its budget for <paramref name="epochs"/> epochs at peak rate <paramref name="learningRate"/> (what a report states).</summary>
    public abstract IReadOnlyList<TrainingPhase> Phases(int epochs, double learningRate);

    /// <summary>
    /// How many of the body's five stages (stem, layer1..layer4) are frozen in the epochs of <paramref name="phase"/> (the
    /// phase an epoch record names): 0 when everything trains, 5 when only the head does. What a cost comparison reads.
    /// </summary>
    public abstract int StagesFrozenIn(string phase);

    /// <summary>Trains <paramref name="input"/>'s model this way.</summary>
    public abstract TrainResult Train(RecipeInput input, CancellationToken cancellation = default);

    /// <inheritdoc/>
    public sealed override string ToString() => Name;

    /// <summary>Random initialisation, everything trains at the same rate: the baseline that pretrained weights must beat.</summary>
    public sealed record Scratch : Strategy
    {
        /// <inheritdoc/>
        public override string Name => "scratch";
        /// <inheritdoc/>
        public override string Description => "random initialisation, every layer trained at the same rate";
        /// <inheritdoc/>
        public override string Title => "training from scratch";
        /// <inheritdoc/>
        public override bool Pretrained => false;
        /// <inheritdoc/>
        public override bool TunesTransferredLayers => false;
        /// <inheritdoc/>
        public override IReadOnlyList<TrainingPhase> Phases(int epochs, double learningRate) => [new("all", epochs, "every layer, from random weights", learningRate, "x1")];
        /// <inheritdoc/>
        public override int StagesFrozenIn(string phase) => 0;

        /// <inheritdoc/>
        public override TrainResult Train(RecipeInput input, CancellationToken cancellation = default) =>
            TrainingRecipes.Scratch(input with { Options = input.Options with { Optimizer = input.Options.Optimizer with { BackboneLrMultiplier = 1 } } }, cancellation);
    }

    /// <summary>Feature extraction: the pretrained body frozen (BatchNorm statistics too), a new head trained.</summary>
    public sealed record FeatureExtraction : Strategy
    {
        /// <inheritdoc/>
        public override string Name => "frozen";
        /// <inheritdoc/>
        public override string Description => "pretrained body frozen (feature extraction), new head trained";
        /// <inheritdoc/>
        public override string Title => "feature extraction";
        /// <inheritdoc/>
        public override bool TunesTransferredLayers => false;
        /// <inheritdoc/>
        public override bool CanUseFeatureCache => true;
        /// <inheritdoc/>
        public override IReadOnlyList<TrainingPhase> Phases(int epochs, double learningRate) => [new("head", epochs, "the new head only", learningRate, "frozen")];
        /// <inheritdoc/>
        public override int StagesFrozenIn(string phase) => 5;

        /// <inheritdoc/>
        public override TrainResult Train(RecipeInput input, CancellationToken cancellation = default) => TrainingRecipes.FeatureExtraction(input, cancellation);
    }

    /// <summary>fastai's <c>fine_tune</c>: the head on a frozen body first, then everything at discriminative rates.</summary>
    /// <param name="HeadEpochs">Epochs of the head phase (fastai's <c>freeze_epochs</c>). Default 1.</param>
    /// <param name="BackboneLrMultiplier">The stem's rate as a fraction of the unfrozen phase's rate (fastai's <c>1/lr_mult</c>). Default 0.01.</param>
    /// <param name="UnfrozenLrFactor">The unfrozen phase's rate as a fraction of the head phase's (fastai halves it). Default 0.5.</param>
    public sealed record FineTune(int HeadEpochs = 1, double BackboneLrMultiplier = 0.01, double UnfrozenLrFactor = 0.5) : Strategy
    {
        /// <inheritdoc/>
        public override string Name => "finetune";
        /// <inheritdoc/>
        public override string Description => string.Create(CultureInfo.InvariantCulture,
            $"head for {HeadEpochs} epoch(s) on a frozen body, then everything at {UnfrozenLrFactor:G3}x the rate, discriminative from x{BackboneLrMultiplier:G3} (stem) to x1 (layer4, head) (fastai fine_tune)");
        /// <inheritdoc/>
        public override string Title => "fine-tuning";
        /// <inheritdoc/>
        public override Strategy WithBackboneLrMultiplier(double multiplier) => this with { BackboneLrMultiplier = multiplier };
        /// <inheritdoc/>
        public override IReadOnlyList<TrainingPhase> Phases(int epochs, double learningRate)
        {
            int head = Math.Clamp(HeadEpochs, 0, Math.Max(0, epochs - 1));
            var unfrozen = new TrainingPhase("unfrozen", epochs - head, "every layer", learningRate * UnfrozenLrFactor,
                string.Create(CultureInfo.InvariantCulture, $"x{BackboneLrMultiplier:G3} (stem) to x1 (layer4)"));
            return head == 0 ? [unfrozen] : [new("head", head, "the new head on a frozen body", learningRate, "frozen"), unfrozen];
        }
        /// <inheritdoc/>
        public override int StagesFrozenIn(string phase) => phase == "head" ? 5 : 0;

        /// <inheritdoc/>
        public override TrainResult Train(RecipeInput input, CancellationToken cancellation = default) =>
            TrainingRecipes.FineTune(input, HeadEpochs, BackboneLrMultiplier, UnfrozenLrFactor, cancellation);
    }

    /// <summary>Everything trains from the pretrained weights in one phase, the body at a lower rate.</summary>
    /// <param name="BackboneLrMultiplier">The body's rate as a fraction of the head's. Default 0.1.</param>
    public sealed record FullFineTune(double BackboneLrMultiplier = 0.1) : Strategy
    {
        /// <inheritdoc/>
        public override string Name => "full";
        /// <inheritdoc/>
        public override string Description => string.Create(CultureInfo.InvariantCulture,
            $"everything trained from the pretrained weights, the body at x{BackboneLrMultiplier:G3} the head's rate");
        /// <inheritdoc/>
        public override string Title => "full fine-tuning";
        /// <inheritdoc/>
        public override Strategy WithBackboneLrMultiplier(double multiplier) => this with { BackboneLrMultiplier = multiplier };
        /// <inheritdoc/>
        public override IReadOnlyList<TrainingPhase> Phases(int epochs, double learningRate) =>
            [new("all", epochs, "every layer, from the pretrained weights", learningRate, string.Create(CultureInfo.InvariantCulture, $"x{BackboneLrMultiplier:G3}"))];
        /// <inheritdoc/>
        public override int StagesFrozenIn(string phase) => 0;

        /// <inheritdoc/>
        public override TrainResult Train(RecipeInput input, CancellationToken cancellation = default) =>
            TrainingRecipes.FullFineTune(input, BackboneLrMultiplier, cancellation);
    }

    /// <summary>The first <paramref name="FrozenStages"/> stages frozen (stem = 1), the rest fine-tuned.</summary>
    /// <param name="FrozenStages">Stages frozen, 1 (stem) to 5 (stem through layer4).</param>
    /// <param name="BackboneLrMultiplier">The unfrozen body's rate as a fraction of the head's. Default 0.1.</param>
    public sealed record PartialFineTune(int FrozenStages, double BackboneLrMultiplier = 0.1) : Strategy
    {
        /// <inheritdoc/>
        public override string Name => $"partial:{FrozenStages}";
        /// <inheritdoc/>
        public override string Description => string.Create(CultureInfo.InvariantCulture,
            $"first {FrozenStages} stage(s) frozen, the rest fine-tuned with the body at x{BackboneLrMultiplier:G3} the head's rate");
        /// <inheritdoc/>
        public override string Title => $"fine-tuning with {FrozenStages} stage(s) frozen";
        /// <inheritdoc/>
        public override Strategy WithBackboneLrMultiplier(double multiplier) => this with { BackboneLrMultiplier = multiplier };
        /// <inheritdoc/>
        public override IReadOnlyList<TrainingPhase> Phases(int epochs, double learningRate) =>
            [new("partial", epochs, $"the stages after the first {FrozenStages}, and the head", learningRate, string.Create(CultureInfo.InvariantCulture, $"x{BackboneLrMultiplier:G3}; first {FrozenStages} stage(s) frozen"))];
        /// <inheritdoc/>
        public override int StagesFrozenIn(string phase) => FrozenStages;

        /// <inheritdoc/>
        public override TrainResult Train(RecipeInput input, CancellationToken cancellation = default) =>
            TrainingRecipes.PartialFineTune(input, FrozenStages, BackboneLrMultiplier, cancellation);
    }

    /// <summary>Parses one name: <c>scratch</c>, <c>frozen</c> (or <c>feature-extraction</c>), <c>finetune</c> (or <c>fine-tune</c>), <c>full</c>, <c>partial:N</c>.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the valid ones.</exception>
    public static Strategy Parse(string name)
    {
        var n = name.Trim().ToLowerInvariant();
        if (n.StartsWith("partial:", StringComparison.Ordinal) && int.TryParse(n["partial:".Length..], NumberStyles.Integer, CultureInfo.InvariantCulture, out int k) && k is >= 1 and <= 5)
            return new PartialFineTune(k);
        return n switch
        {
            "scratch" => new Scratch(),
            "frozen" or "feature-extraction" => new FeatureExtraction(),
            "finetune" or "fine-tune" => new FineTune(),
            "full" => new FullFineTune(),
            _ => throw new ArgumentException($"Unknown strategy '{name}'. Use scratch, frozen, finetune, full or partial:N (N = 1..5 stages frozen).", nameof(name)),
        };
    }

    /// <summary>Parses a comma-separated list (at least one name; each at most once).</summary>
    public static IReadOnlyList<Strategy> ParseList(string names)
    {
        var list = names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse).ToList();
        if (list.Count == 0) throw new ArgumentException($"No strategy in '{names}'. Use a comma-separated list of scratch, frozen, finetune, full, partial:N.", nameof(names));
        var twice = list.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new ArgumentException($"Strategy '{twice.Key}' is listed twice in '{names}'.", nameof(names));
        return list;
    }
}
