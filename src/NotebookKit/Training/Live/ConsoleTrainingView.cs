using System.Globalization;

namespace NotebookKit.Training;

/// <summary>Live output for consoles and logs: a line per epoch and a closing line (no per-batch noise).</summary>
public sealed class ConsoleTrainingView(TextWriter writer) : ITrainingView
{
    /// <inheritdoc/>
    public void Update(TrainingMonitor monitor, MonitorUpdate reason)
    {
        switch (reason)
        {
            case MonitorUpdate.Epoch when monitor.Status is { } s && monitor.Curves.FirstOrDefault(c => c.Label == s.Curve) is { Epochs.Count: > 0 } curve:
                var e = curve.Epochs[^1];
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {s.Curve}{(s.Phase != s.Curve ? " · " + s.Phase : "")} · epoch {e.Epoch}/{s.Epochs} · loss {e.TrainLoss:F3} · val acc {(double.IsNaN(e.ValidationAccuracy) ? "-" : e.ValidationAccuracy.ToString("P1", CultureInfo.InvariantCulture))} · {e.Seconds:F1} s"));
                break;
            case MonitorUpdate.Finished:
                writer.WriteLine($"  {monitor.Title}: {monitor.Message}");
                break;
        }
    }
}
