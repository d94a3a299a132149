using System.Globalization;
using NotebookKit.Models;

namespace NotebookKit.Experiments;

/// <summary>The result of the Yosinski et al. (2014) experiment on a dataset.</summary>
public sealed record TransferabilityResult(string Dataset, string Arch, IReadOnlyList<string> HalfA, IReadOnlyList<string> HalfB, IReadOnlyList<int> Seeds,
    TrainSettings Settings, IReadOnlyList<TransferPoint> Points)
{
    /// <summary>The depths (1 = stem … 5 = layer4) as stage names.</summary>
    public static string StageAt(int depth) => Stages.Body[depth - 1];

    /// <summary>What the figure shows, in words, next to the paper's published shape.</summary>
    public string Summary()
    {
        double Mean(string t) => Points.Where(p => p.Treatment == t).Select(p => p.Mean).DefaultIfEmpty(double.NaN).Average();
        var baseB = Points.First(p => p.Treatment == "base B").Mean;
        var anb = Points.Where(p => p.Treatment == "AnB").OrderBy(p => p.Depth).ToList();
        return string.Create(CultureInfo.InvariantCulture,
            $"Base network on B: {baseB:P1}. AnB (transferred from A, frozen) goes from {anb[0].Mean:P1} at n=1 to {anb[^1].Mean:P1} at n={anb[^1].Depth} " +
            $"(paper, ImageNet/AlexNet: falls with n, ~8 points by n=7). AnB+ (fine-tuned) averages {Mean("AnB+"):P1} vs the base's {baseB:P1} " +
            $"(paper: +1.7 points). BnB averages {Mean("BnB"):P1}, BnB+ {Mean("BnB+"):P1} (paper: BnB dips in the middle layers).");
    }
}
