namespace NotebookKit.Training;

/// <summary>
/// The default live display, set once at the edge: the kit's notebook extension sets <see cref="DefaultView"/> so that
/// every <see cref="Trainer.Fit"/> in a notebook shows its progress and curves with no code in the cell, and the
/// notebooks' file-based twins call <see cref="UseConsole"/>. Library code never reads it except through
/// <see cref="Open"/>, when the caller passed no observer; pass an <see cref="ITrainingObserver"/> (or
/// <see cref="TrainingObserver.None"/>) to choose explicitly.
/// </summary>
public static class LiveTraining
{
    /// <summary>Makes a view for a run titled by the argument, or returns null for none. Default: none (the CLI draws its own progress).</summary>
    public static Func<string, ITrainingView?>? DefaultView { get; set; }

    /// <summary>Prints a line per epoch and a closing line to the console (what the notebooks' file-based twins show).</summary>
    public static void UseConsole() => DefaultView = _ => new ConsoleTrainingView(Console.Out);

    /// <summary>
    /// The observer for a run titled <paramref name="title"/>: <paramref name="given"/> when there is one (the caller owns
    /// it), else a display of its own from <see cref="DefaultView"/> (finished when the session is disposed), else none.
    /// </summary>
    public static LiveSession Open(ITrainingObserver? given, string title)
    {
        if (given is not null) return new LiveSession(given, null);
        return DefaultView?.Invoke(title) is { } view ? new LiveSession(null, new TrainingMonitor(view, title)) : new LiveSession(TrainingObserver.None, null);
    }
}

/// <summary>The observer a run reports to, and the display it owns, if any (see <see cref="LiveTraining.Open"/>).</summary>
public sealed class LiveSession : IDisposable
{
    bool completed, disposed;

    internal LiveSession(ITrainingObserver? given, TrainingMonitor? owned)
    {
        Monitor = owned;
        Observer = given ?? owned!;
    }

    /// <summary>Where the run reports.</summary>
    public ITrainingObserver Observer { get; }

    /// <summary>The display this session opened (null when the caller passed an observer or nothing is shown).</summary>
    public TrainingMonitor? Monitor { get; }

    /// <summary>The work ended normally: an owned display will say done (otherwise stopped).</summary>
    public void Complete() => completed = true;

    /// <inheritdoc/>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        Monitor?.Finish(completed ? MonitorState.Done : MonitorState.Stopped);
    }
}
