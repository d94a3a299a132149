using System.Globalization;
using NotebookKit.Charts;
using NotebookKit.Experiments;

namespace NotebookKit.Reports;

/// <summary>Writes a data-size study as <c>results.json</c> and a self-contained <c>report.html</c> (the crossover figure and the table behind it).</summary>
public static class StudyReport
{
    /// <summary>The machine-readable result (also what <c>nbkit study --json</c> prints).</summary>
    public static object ToJson(StudyResult r) => new
    {
        dataset = r.Dataset,
        arch = r.Arch,
        weights = r.Weights,
        caveat = r.Caveat,
        val_images = r.ValidationImages,
        classes = r.Classes,
        seeds = r.Seeds,
        settings = r.Settings,
        budget = r.Budget,
        budget_policy = r.BudgetPolicy,
        crossover = r.Crossover(),
        costs = r.Costs(),
        sizes = r.Points.Select(p => new
        {
            per_class = p.PerClass,
            train_images = p.TrainImages,
            epochs = p.Epochs,
            steps = p.Steps,
            strategies = p.Strategies.Select(s => new
            {
                name = s.Strategy.Name,
                val_acc = s.ValidationAccuracy,
                val_acc_ci = new[] { s.ValidationAccuracyInterval.Low, s.ValidationAccuracyInterval.High },
                interval = s.IntervalMethod,
                seeds = s.Seeds,
                per_seed = s.PerSeed,
                seconds = s.Seconds,
            }),
            comparisons = p.Comparisons.Select(ComparisonReport.Comparison),
        }),
    };

    /// <summary>Writes both files into <paramref name="folder"/>; returns the page's path.</summary>
    public static string Write(StudyResult result, string folder) => ReportFiles.Write(folder, "results.json", ToJson(result), "report.html", Html(result));

    /// <summary>The page.</summary>
    public static string Html(StudyResult r)
    {
        static string E(object? v) => Charts.Html.Escape(v);
        var rows = string.Concat(r.Points.SelectMany(p => p.Strategies.Select(s => string.Create(CultureInfo.InvariantCulture,
            $"<tr><td>{p.PerClass}</td><td>{E(s.Strategy.Name)}</td><td>{Charts.Html.Percent(s.ValidationAccuracy)} <small>{E(s.ValidationAccuracyInterval.ToPoints())}</small></td><td><small>{E(string.Join(", ", s.PerSeed.Select(Charts.Html.Percent)))}</small></td><td>{p.Epochs}</td><td>{p.Steps}</td><td>{s.Seconds:F1} s</td></tr>"))));
        var comparisons = string.Concat(r.Points.SelectMany(p => p.Comparisons.Select(c => string.Create(CultureInfo.InvariantCulture,
            $"<tr><td>{p.PerClass}</td><td>{E(c.A)} − {E(c.B)}</td><td>{E(c.Describe())}</td><td>{(c.Detectable ? "yes" : "no")}</td></tr>"))));
        return $$"""
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>Data-size study: {{E(r.Dataset)}}</title>
            <style>body{font-family:system-ui,sans-serif;max-width:1000px;margin:20px auto;padding:0 12px;color:#222} table{border-collapse:collapse} td,th{border-bottom:1px solid #ddd;padding:4px 10px;text-align:left;vertical-align:top} .verdict{font-size:1.15em;background:#f4f7ff;padding:10px;border-left:4px solid #36c}</style>
            {{OfflineChart.PlotlyLoaderScript()}}
            </head><body>
            <h1>Where does fine-tuning overtake freezing? {{E(r.Dataset)}}</h1>
            {{(r.Caveat is null ? "" : $"<p style=\"background:#fff4e0;padding:8px;border-left:4px solid #e90\"><b>{E(r.Caveat)}</b></p>")}}
            <p class="verdict">{{E(r.Crossover())}}</p>
            <p>{{E(r.Costs())}}</p>
            <p>{{E(r.Arch)}} with <code>{{E(r.Weights)}}</code>; {{r.ValidationImages}} validation images (the same at every size), {{r.Classes.Count}} classes, seeds {{E(string.Join(", ", r.Seeds))}}.</p>
            <p><small>{{E(r.BudgetPolicy)}}</small></p>
            {{OfflineChart.ToHtmlFragmentWithoutLoader(StudyCharts.Crossover(r))}}
            <h2>The numbers behind the figure</h2>
            <table><tr><th>images/class</th><th>strategy</th><th>final val acc (95% CI)</th><th>per seed</th><th>epochs</th><th>steps</th><th>time per run</th></tr>{{rows}}</table>
            <h2>Paired comparisons at each size</h2>
            <table><tr><th>images/class</th><th>A − B</th><th>difference</th><th>detectable?</th></tr>{{comparisons}}</table>
            <p><small>Written by NotebookKit. plotly.js is embedded: this page needs no internet.</small></p>
            </body></html>
            """;
    }
}
