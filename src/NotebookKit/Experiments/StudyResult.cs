using System.Globalization;

namespace NotebookKit.Experiments;

/// <summary>
/// A data-size study: the same strategies at several training-set sizes (images per class, drawn from one stratified
/// split; the validation set is the same at every size), to see where fine-tuning overtakes feature extraction.
/// </summary>
public sealed record StudyResult(string Dataset, string Arch, string Weights, TrainSettings Settings, StudyBudget Budget, IReadOnlyList<int> Seeds,
    int ValidationImages, IReadOnlyList<string> Classes, IReadOnlyList<StudyPoint> Points)
{
    /// <summary>A line shown with the results when they are not an answer (the smoke preset), else null.</summary>
    public string? Caveat { get; init; }

    /// <summary>The budget policy, with the epochs and steps at each size.</summary>
    public string BudgetPolicy => string.Create(CultureInfo.InvariantCulture,
        $"Budget: {Budget}; at {Settings.ImageSize} px, batch {Settings.BatchSize}, {Settings.Optimizer} peaking at lr {Settings.LearningRate:G3}, augmentation {(Settings.Augment ? "on" : "off")}. ")
        + string.Join("; ", Points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.PerClass}/class: {p.Epochs} epochs = {p.Steps} steps")))
        + ". Accuracy is the final epoch's on the fixed validation set (no epoch is picked on it). Each seed draws its own training subset; all strategies of a seed share it.";

    /// <summary>
    /// The sentence the study exists for: the smallest size at which fine-tuning beats feature extraction with a 95%
    /// interval that excludes 0, or that it does not within the sizes tried (and where feature extraction wins instead).
    /// </summary>
    public string Crossover()
    {
        var sizes = string.Join(", ", Points.Select(p => p.PerClass));
        var pairs = Points.Select(p => (Point: p, Comparison: TunedVersusFrozen(p))).Where(x => x.Comparison is not null).ToList();
        if (pairs.Count == 0) return "The study needs feature extraction (frozen) and a fine-tuning strategy to say where one overtakes the other.";
        var title = pairs[0].Point.Of(pairs[0].Comparison!.A)!.Strategy.Title;
        var wins = pairs.FirstOrDefault(x => x.Comparison!.Detectable && x.Comparison.Difference > 0);
        var losses = pairs.Where(x => x.Comparison!.Detectable && x.Comparison.Difference < 0).Select(x => x.Point.PerClass).ToList();
        string lossText = losses.Count == 0 ? "" : $" Feature extraction is detectably better at {string.Join(", ", losses)} per class.";
        if (wins.Point is null)
            return $"Within the sizes tried ({sizes} images per class), {title} never beats feature extraction with a 95% interval that excludes 0 on this data "
                + $"(at {pairs[^1].Point.PerClass}/class: {pairs[^1].Comparison!.Describe()}).{lossText}";
        return $"{Capitalised(title)} first beats feature extraction with a 95% interval that excludes 0 at {wins.Point.PerClass} images per class "
            + $"({wins.Comparison!.Describe()}); sizes tried: {sizes}.{lossText}";
    }

    /// <summary>What each strategy cost at the largest size (mean seconds per run), relative to feature extraction.</summary>
    public string Costs()
    {
        var largest = Points[^1];
        var frozen = largest.Strategies.FirstOrDefault(s => s.Strategy is Strategy.FeatureExtraction);
        return $"Cost at {largest.PerClass}/class: " + string.Join(", ", largest.Strategies.Select(s => string.Create(CultureInfo.InvariantCulture,
            $"{s.Strategy.Name} {s.Seconds:F0} s{(frozen is not null && frozen != s && frozen.Seconds > 0 ? $" ({s.Seconds / frozen.Seconds:0.#}x frozen)" : "")}"))) + " per run.";
    }

    static PairedComparison? TunedVersusFrozen(StudyPoint point)
    {
        var frozen = point.Strategies.FirstOrDefault(s => s.Strategy is Strategy.FeatureExtraction);
        var tuned = point.Strategies.FirstOrDefault(s => s.Strategy is Strategy.FineTune) ?? point.Strategies.FirstOrDefault(s => s.Strategy.TunesTransferredLayers);
        return frozen is null || tuned is null ? null : PairedComparison.Of(tuned, frozen);
    }

    static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
