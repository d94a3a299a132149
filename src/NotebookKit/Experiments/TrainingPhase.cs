using System.Globalization;

namespace NotebookKit.Experiments;

/// <summary>One phase of a strategy's budget, as a report states it.</summary>
/// <param name="Name">The phase ("head", "unfrozen", "all").</param>
/// <param name="Epochs">Its epochs (every strategy's phases add up to the same total).</param>
/// <param name="Trains">What trains in it, in words.</param>
/// <param name="HeadLearningRate">The head's peak learning rate.</param>
/// <param name="Body">The body's rate relative to the head's ("frozen", "x0.1", "x0.01 (stem) to x1 (layer4)").</param>
public sealed record TrainingPhase(string Name, int Epochs, string Trains, double HeadLearningRate, string Body)
{
    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}: {Epochs} epoch(s), {Trains}, head lr {HeadLearningRate:G3}, body {Body}");
}
