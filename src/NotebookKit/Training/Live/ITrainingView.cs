namespace NotebookKit.Training;

/// <summary>Why a <see cref="TrainingMonitor"/> asks its view to redraw.</summary>
public enum MonitorUpdate
{
    /// <summary>Batches went by (throttled: at most one per <see cref="TrainingMonitor.MinInterval"/>).</summary>
    Batch,

    /// <summary>An epoch ended (always shown).</summary>
    Epoch,

    /// <summary>The run ended: done, stopped or failed (always shown, last).</summary>
    Finished,
}

/// <summary>
/// Shows a <see cref="TrainingMonitor"/> while it runs: one output updated in place in a notebook
/// (the kit's kernel extension), a line per epoch in a file-based app (<see cref="ConsoleTrainingView"/>).
/// </summary>
public interface ITrainingView
{
    /// <summary>Redraws from <paramref name="monitor"/>'s current state.</summary>
    void Update(TrainingMonitor monitor, MonitorUpdate reason);
}
