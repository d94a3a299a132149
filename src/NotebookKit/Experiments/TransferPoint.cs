namespace NotebookKit.Experiments;

/// <summary>One point of the transfer-depth figure: a treatment at depth n, over seeds.</summary>
/// <param name="Treatment">base, AnB, AnB+, BnB or BnB+.</param>
/// <param name="Depth">Stages copied (1 = stem … 5 = stem through layer4); 0 for the base networks.</param>
/// <param name="Accuracies">Validation accuracy on half B, one per seed.</param>
public sealed record TransferPoint(string Treatment, int Depth, IReadOnlyList<double> Accuracies)
{
    /// <summary>Mean accuracy.</summary>
    public double Mean => Accuracies.Average();
    /// <summary>Sample standard deviation (0 with one seed).</summary>
    public double Std => Accuracies.Count < 2 ? 0 : Math.Sqrt(Accuracies.Sum(a => (a - Mean) * (a - Mean)) / (Accuracies.Count - 1));
}
