using System.Globalization;
using NotebookKit.Training;
using Spectre.Console;

namespace NotebookKit.Cli.Commands;

/// <summary>
/// The CLI's progress bars as a view of a <see cref="TrainingMonitor"/>: one bar per curve (a strategy, or a strategy
/// and seed), its fill counted in epochs along the curve (a two-phase strategy fills one bar across both phases).
/// </summary>
sealed class SpectreTrainingView(ProgressContext context) : ITrainingView
{
    readonly Dictionary<string, ProgressTask> tasks = new(StringComparer.Ordinal);

    public void Update(TrainingMonitor monitor, MonitorUpdate reason)
    {
        if (reason == MonitorUpdate.Finished)
        {
            if (monitor.State == MonitorState.Done) foreach (var done in tasks.Values) done.Value = done.MaxValue;
            return;
        }
        if (monitor.Status is not { } s) return;
        if (!tasks.TryGetValue(s.Curve, out var task)) tasks[s.Curve] = task = context.AddTask(Term.Escape(s.Curve), maxValue: 1);
        task.Value = Math.Clamp((s.Epoch - 1 + (double)s.Batch / Math.Max(1, s.Batches)) / Math.Max(1, s.Epochs), 0, 1);
        var last = monitor.Curves.FirstOrDefault(c => c.Label == s.Curve)?.Epochs.LastOrDefault();
        task.Description = Term.Escape(reason == MonitorUpdate.Epoch && last is not null
            ? string.Create(CultureInfo.InvariantCulture, $"{s.Curve} epoch {last.Epoch}/{s.Epochs}: val acc {(double.IsNaN(last.ValidationAccuracy) ? "-" : last.ValidationAccuracy.ToString("P1", CultureInfo.InvariantCulture))}")
            : string.Create(CultureInfo.InvariantCulture, $"{s.Curve} epoch {s.Epoch}/{s.Epochs} loss {(s.Batch == 0 ? "-" : s.Loss.ToString("F3", CultureInfo.InvariantCulture))}")); // no loss before the first batch
    }

    /// <summary>Runs <paramref name="work"/> with progress bars; <paramref name="work"/> gets the observer to train with.</summary>
    public static T Run<T>(string title, Func<ITrainingObserver, T> work)
    {
        T result = default!;
        AnsiConsole.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var monitor = new TrainingMonitor(new SpectreTrainingView(context), title);
                try
                {
                    result = work(monitor);
                    monitor.Finish(MonitorState.Done);
                }
                finally { monitor.Finish(MonitorState.Stopped); }
            });
        return result;
    }
}
