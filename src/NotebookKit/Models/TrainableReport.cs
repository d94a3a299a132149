namespace NotebookKit.Models;

/// <summary>Trainable parameters per stage, after freezing.</summary>
public sealed record TrainableReport(IReadOnlyList<StageSummary> Stages, BatchNormPolicy Policy)
{
    /// <summary>All parameters.</summary>
    public long Parameters => Stages.Sum(s => s.Parameters);

    /// <summary>The frozen stages, in model order (with <see cref="BatchNormPolicy.TrainAffine"/> their BatchNorm parameters still train).</summary>
    public IReadOnlyList<string> FrozenStages { get; init; } = [];

    /// <summary>Trainable parameters.</summary>
    public long Trainable => Stages.Sum(s => s.Trainable);

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Trainable:N0} of {Parameters:N0} parameters trainable; frozen: {string.Join(", ", FrozenStages.DefaultIfEmpty("none"))}; BatchNorm: {Policy}";
}
