using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using NotebookKit.Charts;
using NotebookKit.Training;

namespace NotebookKit.Interactive;

/// <summary>
/// Live training output in a notebook: the first redraw displays the monitor in the running cell, every later one
/// replaces that same output (DisplayedValue.Update), so a fit leaves one output, not one per batch.
/// </summary>
sealed class LiveTrainingDisplay(KernelInvocationContext context) : ITrainingView
{
    DisplayedValue? displayed;

    /// <summary>Renders monitors as HTML and sends every fit's progress to the cell that runs it (nothing when no cell is running).</summary>
    public static void Install()
    {
        // The monitor itself is the displayed value (no HTML wrapper type: the kernel's Microsoft.AspNetCore.Html
        // version differs from the one we would compile against).
        Formatter.Register<TrainingMonitor>((monitor, writer) => writer.Write(LiveTrainingHtml.Render(monitor)), "text/html");
        LiveTraining.DefaultView = _ => KernelInvocationContext.Current is { } context ? new LiveTrainingDisplay(context) : null;
    }

    public void Update(TrainingMonitor monitor, MonitorUpdate reason)
    {
        if (displayed is null) displayed = context.Display(monitor, "text/html");
        else displayed.Update(monitor);
    }
}
