using System.Globalization;

namespace NotebookKit.Experiments;

/// <summary>What a strategy does with the transferred layers.</summary>
public enum StrategyKind
{
    /// <summary>Random initialisation, everything trains.</summary>
    Scratch,
    /// <summary>Pretrained body frozen (feature extraction), new head trains.</summary>
    Frozen,
    /// <summary>fastai's two-phase fine-tune: head first, then everything with discriminative rates.</summary>
    FineTune,
    /// <summary>Everything trains from the pretrained weights, the body at a lower rate.</summary>
    Full,
    /// <summary>The first N stages frozen, the rest fine-tuned.</summary>
    Partial,
}

/// <summary>A strategy by its CLI name: <c>scratch</c>, <c>frozen</c>, <c>finetune</c>, <c>full</c>, <c>partial:N</c>.</summary>
public sealed record Strategy(StrategyKind Kind, int FrozenStages = 0)
{
    /// <summary>The name used in results and on the command line.</summary>
    public string Name => Kind switch
    {
        StrategyKind.Partial => $"partial:{FrozenStages}",
        StrategyKind.FineTune => "finetune",
        _ => Kind.ToString().ToLowerInvariant(),
    };

    /// <summary>Whether it starts from pretrained weights.</summary>
    public bool Pretrained => Kind != StrategyKind.Scratch;

    /// <summary>A sentence for reports.</summary>
    public string Description => Kind switch
    {
        StrategyKind.Scratch => "random initialisation, everything trained",
        StrategyKind.Frozen => "pretrained body frozen (feature extraction), new head trained",
        StrategyKind.FineTune => "head first on a frozen body, then everything at discriminative learning rates (fastai fine_tune)",
        StrategyKind.Full => "everything trained from the pretrained weights, body at a lower learning rate",
        _ => $"first {FrozenStages} stage(s) frozen, the rest fine-tuned",
    };

    /// <summary>Parses one name.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the valid ones.</exception>
    public static Strategy Parse(string name)
    {
        var n = name.Trim().ToLowerInvariant();
        if (n.StartsWith("partial:", StringComparison.Ordinal) && int.TryParse(n["partial:".Length..], NumberStyles.Integer, CultureInfo.InvariantCulture, out int k) && k is >= 1 and <= 5)
            return new Strategy(StrategyKind.Partial, k);
        return n switch
        {
            "scratch" => new Strategy(StrategyKind.Scratch),
            "frozen" or "feature-extraction" => new Strategy(StrategyKind.Frozen),
            "finetune" or "fine-tune" => new Strategy(StrategyKind.FineTune),
            "full" => new Strategy(StrategyKind.Full),
            _ => throw new ArgumentException($"Unknown strategy '{name}'. Use scratch, frozen, finetune, full or partial:N (N = 1..5 stages frozen).", nameof(name)),
        };
    }

    /// <summary>Parses a comma-separated list.</summary>
    public static IReadOnlyList<Strategy> ParseList(string names) =>
        names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse).ToList();
}
