using NotebookKit.Charts;
using NotebookKit.Experiments;

namespace NotebookKit.Reports;

/// <summary>Writes a transferability result as <c>transferability.json</c> and a self-contained <c>transferability.html</c>.</summary>
public static class TransferabilityReport
{
    /// <summary>The machine-readable result (also what <c>nbkit transferability --json</c> prints).</summary>
    public static object ToJson(TransferabilityResult result) => new
    {
        dataset = result.Dataset,
        arch = result.Arch,
        half_a = result.HalfA,
        half_b = result.HalfB,
        seeds = result.Seeds,
        summary = result.Summary(),
        points = result.Points.Select(p => new
        {
            treatment = p.Treatment, n = p.Depth, stage = p.Depth == 0 ? "" : TransferabilityResult.StageAt(p.Depth),
            mean = p.Mean, std = p.Std, accuracies = p.Accuracies,
        }),
    };

    /// <summary>Writes both files into <paramref name="folder"/>; returns the page's path.</summary>
    public static string Write(TransferabilityResult result, string folder) =>
        ReportFiles.Write(folder, "transferability.json", ToJson(result), "transferability.html", Html(result));

    /// <summary>The page: the split, the summary and the figure.</summary>
    public static string Html(TransferabilityResult result) =>
        $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Transferability: {Charts.Html.Escape(result.Dataset)}</title>{OfflineChart.PlotlyLoaderScript()}</head>"
        + $"<body style=\"font-family:system-ui,sans-serif;max-width:900px;margin:20px auto\"><h1>How transferable are features? {Charts.Html.Escape(result.Dataset)}</h1>"
        + $"<p>A = {Charts.Html.Escape(string.Join(", ", result.HalfA))}; B = {Charts.Html.Escape(string.Join(", ", result.HalfB))}.</p><p>{Charts.Html.Escape(result.Summary())}</p>"
        + OfflineChart.ToHtmlFragmentWithoutLoader(TransferabilityCharts.Figure(result)) + "</body></html>";
}
