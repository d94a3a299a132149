using System.Globalization;
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
        caveat = result.Caveat,
        split = result.Split.Description,
        splits = result.Splits.Select(s => new { seed = s.Seed, a = s.A, b = s.B }),
        // The first seed's halves, for a quick look (every seed's are in "splits").
        half_a = result.Splits[0].A,
        half_b = result.Splits[0].B,
        seeds = result.Seeds,
        settings = result.Settings,
        budget_policy = result.BudgetPolicy,
        steps_on_b = result.StepsOnB,
        summary = result.Summary(),
        points = result.Points.Select(p => new
        {
            treatment = p.Treatment, n = p.Depth, stage = p.Depth == 0 ? "" : TransferabilityResult.StageAt(p.Depth),
            mean = p.Mean, ci = new[] { p.Interval.Low, p.Interval.High }, std = p.Std, accuracies = p.Accuracies,
        }),
        base_curves = result.BaseCurves.Select(c => new { seed = c.Seed, half = c.Half, history = c.History.Select(ResultsJson.Epoch) }),
    };

    /// <summary>Writes both files into <paramref name="folder"/>; returns the page's path.</summary>
    public static string Write(TransferabilityResult result, string folder) =>
        ReportFiles.Write(folder, "transferability.json", ToJson(result), "transferability.html", Html(result));

    /// <summary>The page: the split, the summary, the figure, the base networks' curves, the numbers and the budget.</summary>
    public static string Html(TransferabilityResult r)
    {
        static string E(object? v) => Charts.Html.Escape(v);
        var splits = string.Concat(r.Splits.Select(s => $"<li>seed {s.Seed}: A = {E(string.Join(", ", s.A))}; B = {E(string.Join(", ", s.B))}</li>"));
        var rows = string.Concat(r.Points.Select(p => string.Create(CultureInfo.InvariantCulture,
            $"<tr><td>{E(p.Treatment)}</td><td>{p.Depth}</td><td>{(p.Depth == 0 ? "-" : TransferabilityResult.StageAt(p.Depth))}</td><td>{Charts.Html.Percent(p.Mean)} <small>{E(p.Interval.ToPoints())}</small></td><td><small>{E(string.Join(", ", p.Accuracies.Select(Charts.Html.Percent)))}</small></td></tr>")));
        return $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Transferability: {E(r.Dataset)}</title>{OfflineChart.PlotlyLoaderScript()}</head>"
            + "<body style=\"font-family:system-ui,sans-serif;max-width:960px;margin:20px auto;padding:0 12px\">"
            + $"<h1>How transferable are features? {E(r.Dataset)}</h1>"
            + (r.Caveat is null ? "" : $"<p style=\"background:#fff4e0;padding:8px;border-left:4px solid #e90\"><b>{E(r.Caveat)}</b></p>")
            + $"<p style=\"background:#f4f7ff;padding:10px;border-left:4px solid #36c\">{E(r.Summary())}</p>"
            + $"<p>{E(r.Arch)} from random weights; {E(r.Split.Description)}:</p><ul>{splits}</ul><p><small>{E(r.BudgetPolicy)}</small></p>"
            + OfflineChart.ToHtmlFragmentWithoutLoader(TransferabilityCharts.Figure(r))
            + OfflineChart.ToHtmlFragmentWithoutLoader(TransferabilityCharts.BaseCurves(r))
            + $"<table style=\"border-collapse:collapse\"><tr><th>treatment</th><th>n</th><th>stage</th><th>accuracy on its half (95% CI)</th><th>per seed</th></tr>{rows}</table>"
            + "<p><small>Written by NotebookKit. plotly.js is embedded: this page needs no internet.</small></p></body></html>";
    }
}
