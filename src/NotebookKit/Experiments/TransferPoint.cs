using NotebookKit.Experiments.Statistics;

namespace NotebookKit.Experiments;

/// <summary>One point of the transfer-depth figure: a treatment at depth n, one accuracy per seed (in seed order).</summary>
/// <param name="Treatment">base A, base B, AnB, AnB+, BnB or BnB+.</param>
/// <param name="Depth">Stages copied (1 = stem … 5 = stem through layer4); 0 for the base networks.</param>
/// <param name="Accuracies">Final validation accuracy on its half, one per seed.</param>
/// <param name="ValidationImages">Validation images of its half (for the one-seed Wilson interval).</param>
public sealed record TransferPoint(string Treatment, int Depth, IReadOnlyList<double> Accuracies, int ValidationImages)
{
    /// <summary>Mean accuracy over seeds.</summary>
    public double Mean => Accuracies.Average();

    /// <summary>Sample standard deviation over seeds (0 with one seed).</summary>
    public double Std => Accuracies.Count < 2 ? 0 : Math.Sqrt(Accuracies.Sum(a => (a - Mean) * (a - Mean)) / (Accuracies.Count - 1));

    /// <summary>The 95% interval of <see cref="Mean"/>: t over seeds (cut to [0, 1]), or Wilson over the validation images with one seed.</summary>
    public Interval Interval => Intervals.Accuracy(Accuracies, ValidationImages);
}
