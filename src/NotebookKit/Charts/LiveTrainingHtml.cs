using System.Globalization;
using NotebookKit.Training;

namespace NotebookKit.Charts;

/// <summary>
/// The live training display as HTML: heading and state, a progress line and bar for the current fit, and loss and
/// accuracy curves as inline SVG (a few kilobytes per redraw, no script, so it works offline and in any host).
/// </summary>
public static class LiveTrainingHtml
{
    /// <summary>At most this many curves are drawn (the most recent); the legend says how many are left out.</summary>
    public const int MaxCurves = 8;

    static readonly string[] Palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

    /// <summary>Renders <paramref name="monitor"/>'s current state.</summary>
    public static string Render(TrainingMonitor monitor)
    {
        var (badge, colour) = monitor.State switch
        {
            MonitorState.Running => ("training…", "#36c"),
            MonitorState.Done => ("done", "#2a7d2a"),
            MonitorState.Stopped => ("stopped", "#a60"),
            _ => ("failed", "#c33"),
        };
        var html = $"<div class=\"nbkit-live\" style=\"font-family:sans-serif;font-size:13px;line-height:1.4\">"
            + $"<div><b>{Html.Escape(monitor.Title)}</b> <span style=\"color:#fff;background:{colour};border-radius:3px;padding:0 5px\">{badge}</span> <span style=\"color:#777\">{TrainingMonitor.Format(monitor.Elapsed)}</span></div>";
        if (monitor.Activity is { } activity && monitor.State == MonitorState.Running)
            html += $"<div class=\"nbkit-live-status\">{Html.Escape(activity)}</div>";
        else if (monitor.Status is { } s)
        {
            var line = string.Create(CultureInfo.InvariantCulture, $"{s.Curve}{(s.Phase != s.Curve ? " · " + s.Phase : "")} · epoch {s.Epoch}/{s.Epochs} · batch {s.Batch}/{s.Batches}")
                + (double.IsNaN(s.Loss) ? "" : string.Create(CultureInfo.InvariantCulture, $" · loss {s.Loss:F4}"))
                + (s.ImagesPerSecond > 0 ? string.Create(CultureInfo.InvariantCulture, $" · {s.ImagesPerSecond:F0} img/s") : "")
                + (monitor.State == MonitorState.Running && s.Remaining is { } left ? $" · ~{TrainingMonitor.Format(left)} left" : "");
            html += $"<div class=\"nbkit-live-status\">{Html.Escape(line)}</div>"
                + $"<div style=\"width:340px;height:6px;background:#e6e6e6;border-radius:3px\"><div style=\"width:{(monitor.State == MonitorState.Done ? 100 : s.Progress * 100).ToString("F1", CultureInfo.InvariantCulture)}%;height:6px;background:{colour};border-radius:3px\"></div></div>";
        }
        if (monitor.Message is { } message) html += $"<div class=\"nbkit-live-message\" style=\"color:{colour}\">{Html.Escape(message)}</div>";
        return html + Curves(monitor) + "</div>";
    }

    static string Curves(TrainingMonitor monitor)
    {
        var shown = monitor.Curves.TakeLast(MaxCurves).ToList();
        if (shown.Count == 0) return "";
        double xMax = Math.Max(monitor.Status?.Epochs ?? 1, shown.Max(c => c.Epochs.Count == 0 ? 0 : c.Epochs[^1].Epoch));
        var loss = new List<SvgLineChart.Series>();
        var accuracy = new List<SvgLineChart.Series>();
        var legend = new List<string>();
        for (int i = 0; i < shown.Count; i++)
        {
            var c = shown[i];
            var colour = Palette[(monitor.Curves.Count - shown.Count + i) % Palette.Length];
            loss.Add(new(c.Label + " train", colour, c.RunningLoss.ToList()));
            loss.Add(new(c.Label + " validation", colour, c.Epochs.Select(e => ((double)e.Epoch, e.ValidationLoss)).ToList(), Dashed: true, Markers: true));
            accuracy.Add(new(c.Label + " train", colour, c.Epochs.Select(e => ((double)e.Epoch, e.TrainAccuracy)).ToList(), Markers: true));
            accuracy.Add(new(c.Label + " validation", colour, c.Epochs.Select(e => ((double)e.Epoch, e.ValidationAccuracy)).ToList(), Dashed: true, Markers: true));
            legend.Add($"<span style=\"color:{colour}\">■</span> {Html.Escape(c.Label)}");
        }
        var accuracies = shown.SelectMany(c => c.Epochs).SelectMany(e => new[] { e.TrainAccuracy, e.ValidationAccuracy }).Where(double.IsFinite).ToList();
        double low = accuracies.Count == 0 ? 0 : Math.Floor(accuracies.Min() * 10) / 10;
        var more = monitor.Curves.Count > shown.Count ? $" (the last {shown.Count} of {monitor.Curves.Count} runs)" : "";
        return "<div style=\"display:flex;flex-wrap:wrap;gap:8px;margin-top:4px\">"
            + SvgLineChart.Render("loss", loss, xMax)
            + SvgLineChart.Render("accuracy", accuracy, xMax, yMin: low, yMax: 1, yFormat: "0%")
            + $"</div><div style=\"color:#555\">{string.Join(" &nbsp; ", legend)} &nbsp; — train &nbsp; - - validation{Html.Escape(more)}</div>";
    }
}
