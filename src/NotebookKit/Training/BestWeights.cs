using NotebookKit.Models;

namespace NotebookKit.Training;

/// <summary>
/// The best validation accuracy so far and the epoch it was seen at; with <c>keepWeights</c>, a snapshot of the model
/// at that epoch to put back at the end (Keras's <c>restore_best_weights</c>).
/// </summary>
public sealed class BestWeights(bool keepWeights, double accuracy = double.NaN, int epoch = 0) : IDisposable
{
    WeightsSnapshot? snapshot;

    /// <summary>The best validation accuracy (NaN until one is offered).</summary>
    public double Accuracy { get; private set; } = accuracy;

    /// <summary>The epoch of <see cref="Accuracy"/> (0 until one is offered).</summary>
    public int Epoch { get; private set; } = epoch;

    /// <summary>Records <paramref name="accuracy"/> at <paramref name="epoch"/>; true (and a snapshot, if kept) when it is a new best.</summary>
    public bool Offer(int epoch, double? accuracy, ResNetModel model)
    {
        if (accuracy is not { } a || !(double.IsNaN(Accuracy) || a > Accuracy)) return false;
        (Accuracy, Epoch) = (a, epoch);
        if (keepWeights)
        {
            snapshot?.Dispose();
            snapshot = WeightsSnapshot.Of(model);
        }
        return true;
    }

    /// <summary>Puts the best weights back into <paramref name="model"/> (nothing when none were kept).</summary>
    public void RestoreInto(ResNetModel model) => snapshot?.RestoreInto(model);

    /// <summary>Releases the snapshot.</summary>
    public void Dispose() => snapshot?.Dispose();
}
