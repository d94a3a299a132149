namespace NotebookKit.Training;

/// <summary>
/// One line of a live chart: the epochs of one model (several fits continue it, e.g. fine-tuning's head and
/// unfrozen phases), numbered on from the previous fit, and the running training loss sampled within epochs.
/// </summary>
public sealed class TrainingCurve(string label)
{
    readonly List<EpochRecord> epochs = [];
    readonly List<(double Epoch, double Loss)> runningLoss = [];

    /// <summary>The curve's name (the strategy, the phase or "train").</summary>
    public string Label { get; } = label;

    /// <summary>Completed epochs, numbered 1.. along the curve.</summary>
    public IReadOnlyList<EpochRecord> Epochs => epochs;

    /// <summary>The running mean training loss at fractional epochs (e.g. 2.5 = half-way through epoch 3).</summary>
    public IReadOnlyList<(double Epoch, double Loss)> RunningLoss => runningLoss;

    /// <summary>Epochs completed before the current fit started (its epoch 1 is drawn at <c>Offset + 1</c>).</summary>
    internal int Offset { get; set; }

    internal void Add(EpochRecord record)
    {
        var renumbered = record with { Epoch = Offset + record.Epoch };
        epochs.RemoveAll(e => e.Epoch >= renumbered.Epoch);
        epochs.Add(renumbered);
        runningLoss.RemoveAll(p => p.Epoch > renumbered.Epoch);
        runningLoss.Add((renumbered.Epoch, renumbered.TrainLoss));
    }

    internal void AddRunningLoss(double epoch, double loss)
    {
        if (double.IsFinite(loss)) runningLoss.Add((epoch, loss));
    }

    /// <summary>Keeps every other point (the first and last stay), bounding memory on long runs.</summary>
    internal void Thin()
    {
        var kept = runningLoss.Where((_, i) => i % 2 == 0 || i == runningLoss.Count - 1).ToList();
        runningLoss.Clear();
        runningLoss.AddRange(kept);
    }
}
