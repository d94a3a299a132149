namespace NotebookKit.Training;

/// <summary>
/// Live training output. When <see cref="ViewFactory"/> is set (the kit's notebook extension sets it; file-based apps
/// call <see cref="UseConsole"/>), every <see cref="Trainer.Fit"/> shows its progress and curves while it runs, with no
/// code in the cell. <see cref="Scope"/> gathers several fits (a comparison, a two-phase recipe) into one display and
/// <see cref="Curve"/> names the model a fit trains, so that its phases continue one curve.
/// </summary>
public static class LiveTraining
{
    static readonly AsyncLocal<TrainingMonitor?> ambient = new();
    static readonly AsyncLocal<(string Label, int? Epochs)?> curve = new();

    /// <summary>Makes a view for a run titled by the argument, or returns null for none. Default: none (the CLI draws its own progress).</summary>
    public static Func<string, ITrainingView?>? ViewFactory { get; set; }

    /// <summary>Set to false to train without live output (e.g. inside your own loop). Default true.</summary>
    public static bool Enabled { get; set; } = true;

    /// <summary>The monitor of the enclosing <see cref="Scope"/> on this flow of execution, if any.</summary>
    public static TrainingMonitor? Current => ambient.Value;

    /// <summary>Prints a line per epoch and a closing line to the console (what the notebooks' file-based twins show).</summary>
    public static void UseConsole() => ViewFactory = _ => new ConsoleTrainingView(Console.Out);

    /// <summary>
    /// One display for every fit until the scope is disposed; call <see cref="LiveScope.Complete"/> when the work ended
    /// normally (otherwise it is shown as stopped). Nested scopes join the outer one.
    /// </summary>
    public static LiveScope Scope(string title)
    {
        if (ambient.Value is not null || CreateMonitor(title) is not { } monitor) return new LiveScope(null, null);
        ambient.Value = monitor;
        return new LiveScope(monitor, () => ambient.Value = null);
    }

    /// <summary>
    /// Names the curve the fits inside draw on (the outermost name wins, so a recipe's phases stay on the caller's
    /// curve); <paramref name="epochs"/>, when known, is the curve's whole budget (shown as "epoch 1/3" from the first phase).
    /// </summary>
    public static IDisposable Curve(string label, int? epochs = null)
    {
        if (curve.Value is not null) return new Restore(null);
        curve.Value = (label, epochs);
        return new Restore(() => curve.Value = null);
    }

    /// <summary>
    /// Tells the enclosing scope's display what happens between fits (e.g. "computing features: 320/1500 images"),
    /// so a long step does not look like a hang. Does nothing outside a <see cref="Scope"/>.
    /// </summary>
    public static void Report(string activity)
    {
        if (ambient.Value is { } monitor) monitor.Report(curve.Value is { } c ? $"{c.Label}: {activity}" : activity);
    }

    /// <summary>Connects a fit to the enclosing scope's monitor, or to a monitor of its own; null when nothing is shown.</summary>
    internal static LiveFit? Attach(string phase)
    {
        var (label, epochs) = curve.Value ?? (phase, null);
        if (ambient.Value is { } shared) return new LiveFit(shared, label, epochs, owned: false);
        return CreateMonitor(label == "train" ? "training" : $"training: {label}") is { } monitor ? new LiveFit(monitor, label, epochs, owned: true) : null;
    }

    static TrainingMonitor? CreateMonitor(string title)
    {
        if (!Enabled || ViewFactory is not { } factory) return null;
        return factory(title) is { } view ? new TrainingMonitor(view, title) : null;
    }

    sealed class Restore(Action? restore) : IDisposable
    {
        public void Dispose() => restore?.Invoke();
    }
}

/// <summary>A display shared by several fits; see <see cref="LiveTraining.Scope"/>.</summary>
public sealed class LiveScope : IDisposable
{
    readonly Action? restore;
    bool completed, disposed;

    internal LiveScope(TrainingMonitor? monitor, Action? restore)
    {
        Monitor = monitor;
        this.restore = restore;
    }

    /// <summary>The shared monitor (null when nothing is shown or an outer scope owns the display).</summary>
    public TrainingMonitor? Monitor { get; }

    /// <summary>The work ended normally: the display will say done.</summary>
    public void Complete() => completed = true;

    /// <inheritdoc/>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        restore?.Invoke();
        Monitor?.Finish(completed ? MonitorState.Done : MonitorState.Stopped);
    }
}

/// <summary>One fit's connection to a monitor (made by <see cref="Trainer.Fit"/>).</summary>
internal sealed class LiveFit(TrainingMonitor monitor, string label, int? curveEpochs, bool owned)
{
    public TrainingMonitor Monitor => monitor;

    public void Begin(string phase, int epochs, int batchesPerEpoch, IReadOnlyList<EpochRecord> earlier) =>
        monitor.BeginFit(label, phase, epochs, batchesPerEpoch, earlier, curveEpochs);

    public void Batch(BatchProgress progress) => monitor.OnBatch(progress);

    public void Epoch(EpochRecord record) => monitor.OnEpoch(record);

    public void Ended(TrainResult result)
    {
        if (owned) monitor.Finish(result.Cancelled ? MonitorState.Stopped : MonitorState.Done);
    }

    public void Failed(Exception error)
    {
        if (error is OperationCanceledException) monitor.Finish(MonitorState.Stopped);
        else monitor.Finish(MonitorState.Failed, $"failed: {error.Message}");
    }
}
