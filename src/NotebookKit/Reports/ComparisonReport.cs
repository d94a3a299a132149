using System.Globalization;
using NotebookKit.Charts;
using NotebookKit.Experiments;

namespace NotebookKit.Reports;

/// <summary>Writes a comparison as <c>results.json</c> and a self-contained <c>report.html</c> (charts render offline).</summary>
public static class ComparisonReport
{
    /// <summary>The machine-readable result (also what <c>nbkit compare --json</c> prints).</summary>
    public static object ToJson(Comparison c) => new
    {
        dataset = c.Dataset,
        arch = c.Arch,
        weights = c.Weights,
        note = c.Note,
        caveat = c.Caveat,
        train_images = c.TrainImages,
        val_images = c.ValidationImages,
        classes = c.Classes,
        seeds = c.Seeds,
        settings = c.Settings,
        budget_policy = c.BudgetPolicy,
        verdict = c.Verdict(),
        partial_weights = ResultsJson.PartialWeights(c.PartialWeights),
        skipped_files = c.SkippedFiles.Select(p => new { path = p.Path, reason = p.Reason }),
        strategies = c.Strategies.Select(s => new
        {
            name = s.Strategy.Name,
            description = s.Strategy.Description,
            phases = s.Strategy.Phases(c.Settings.Epochs, c.Settings.LearningRate).Select(p => new
            {
                name = p.Name, epochs = p.Epochs, steps = p.Epochs * c.BatchesPerEpoch, trains = p.Trains, head_lr = p.HeadLearningRate, body_lr = p.Body,
            }),
            val_acc = s.ValidationAccuracy,
            val_acc_ci = Pair(s.ValidationAccuracyInterval),
            interval = s.IntervalMethod,
            seeds = s.Seeds,
            per_seed = s.PerSeed,
            val_acc_std = s.ValidationAccuracyStd,
            best_val_acc = s.BestValidationAccuracy,
            best_val_acc_std = s.BestValidationAccuracyStd,
            seconds = s.Seconds,
            trainable_params = s.TrainableParameters,
            images_per_second = s.ImagesPerSecond,
            runs = s.Runs.Select(r => new { seed = r.Seed, val_acc = r.Evaluation.Accuracy, best_val_acc = r.Result.BestValidationAccuracy, seconds = r.Seconds, macro_f1 = r.Evaluation.MacroF1 }),
            history = s.Runs[0].Result.History.Select(ResultsJson.Epoch),
        }),
        comparisons = c.Comparisons.Select(Comparison),
    };

    /// <summary>A paired comparison's JSON shape: <c>{"a", "b", "diff", "ci": [lo, hi], "p_value", "test"}</c>.</summary>
    public static object Comparison(PairedComparison p) => new { a = p.A, b = p.B, diff = p.Difference, ci = Pair(p.Interval), p_value = p.PValue, test = p.Test, detail = p.Detail };

    static double[] Pair(Experiments.Statistics.Interval interval) => [interval.Low, interval.High];

    /// <summary>Writes <c>results.json</c> and <c>report.html</c> into <paramref name="folder"/>; returns the report's path.</summary>
    public static string Write(Comparison comparison, string folder) =>
        ReportFiles.Write(folder, "results.json", ToJson(comparison), "report.html", Html(comparison));

    /// <summary>The report page.</summary>
    public static string Html(Comparison c)
    {
        static string E(object? v) => Charts.Html.Escape(v);
        var best = c.Best;
        var bestRun = best.Runs[0];
        string wrong = c.Data is { } data
            ? ImageGrid.Html(data.Validation, bestRun.Evaluation.MostConfidentlyWrong.Take(12).Select(w =>
                new ImageGrid.Cell(w.Index, $"true {c.Classes[w.Label]}, predicted {c.Classes[w.Predicted]} ({w.Confidence:P0})", Highlight: true)))
            : "<p>(images not available)</p>";
        var s = c.Settings;
        return $$"""
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>Freeze or fine-tune? {{E(c.Dataset)}}</title>
            <style>body{font-family:system-ui,sans-serif;max-width:1000px;margin:20px auto;padding:0 12px;color:#222} table{border-collapse:collapse} td,th{border-bottom:1px solid #ddd;padding:4px 10px;text-align:left;vertical-align:top} .verdict{font-size:1.15em;background:#f4f7ff;padding:10px;border-left:4px solid #36c}</style>
            {{OfflineChart.PlotlyLoaderScript()}}
            </head><body>
            <h1>Freeze or fine-tune? {{E(c.Dataset)}}</h1>
            <p>{{E(c.Note)}}</p>
            {{(c.Caveat is null ? "" : $"<p style=\"background:#fff4e0;padding:8px;border-left:4px solid #e90\"><b>{E(c.Caveat)}</b></p>")}}
            <p class="verdict">{{E(c.Verdict())}}</p>
            {{(c.PartialWeights is { } partial ? $"<p class=\"warning\"><b>Warning:</b> {E(partial.PartialNote)} ({E(partial)}).</p>" : "")}}
            <p>{{E(c.Arch)}} with <code>{{E(c.Weights)}}</code>; {{c.TrainImages}} training and {{c.ValidationImages}} validation images, {{c.Classes.Count}} classes;
            {{s.Epochs}} epochs per strategy at {{s.ImageSize}} px, batch {{s.BatchSize}}, {{E(s.Optimizer)}} lr {{s.LearningRate.ToString(CultureInfo.InvariantCulture)}} ({{E(s.Schedule)}}),
            augmentation {{(s.Augment ? "on" : "off")}}, seeds {{E(string.Join(", ", c.Seeds))}}.</p>
            {{ComparisonHtml.Table(c)}}
            <h2>Paired comparisons on the same validation images</h2>
            {{ComparisonHtml.Comparisons(c)}}
            <h2>Budget</h2>
            {{ComparisonHtml.Budget(c)}}
            {{OfflineChart.ToHtmlFragmentWithoutLoader(ComparisonCharts.LearningCurves(c))}}
            {{OfflineChart.ToHtmlFragmentWithoutLoader(ComparisonCharts.AccuracyBars(c))}}
            {{OfflineChart.ToHtmlFragmentWithoutLoader(ComparisonCharts.TimeVsAccuracy(c))}}
            <h2>Best strategy: {{E(best.Strategy.Name)}}</h2>
            {{OfflineChart.ToHtmlFragmentWithoutLoader(ComparisonCharts.ConfusionMatrix(bestRun.Evaluation, $"Confusion matrix of {best.Strategy.Name} (seed {bestRun.Seed})"))}}
            <h3>Its most confidently wrong validation images</h3>
            {{wrong}}
            <p><small>Written by NotebookKit. plotly.js is embedded: this page needs no internet.</small></p>
            </body></html>
            """;
    }
}
