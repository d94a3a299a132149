namespace NotebookKit.Experiments;

/// <summary>One training-set size of a study: every strategy with every seed, and their paired comparisons.</summary>
/// <param name="PerClass">Training images per class.</param>
/// <param name="TrainImages">Training images in all.</param>
/// <param name="Epochs">Epochs every strategy trained at this size.</param>
/// <param name="Steps">Optimiser steps every strategy took at this size.</param>
/// <param name="Strategies">The results, one per strategy.</param>
public sealed record StudyPoint(int PerClass, int TrainImages, int Epochs, int Steps, IReadOnlyList<StrategySummary> Strategies)
{
    /// <summary>Fine-tuning strategies against feature extraction, and pretrained ones against scratch, at this size.</summary>
    public IReadOnlyList<PairedComparison> Comparisons => PairedComparison.Standard(Strategies);

    /// <summary>The summary of the strategy named <paramref name="name"/>, if it ran.</summary>
    public StrategySummary? Of(string name) => Strategies.FirstOrDefault(s => s.Strategy.Name == name);
}
