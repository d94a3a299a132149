using Microsoft.FSharp.Core;
using NotebookKit.Experiments;
using NotebookKit.Experiments.Statistics;
using NotebookKit.Training;
using Plotly.NET;
using Plotly.NET.CSharp;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace NotebookKit.Charts;

/// <summary>The charts of a comparison (Plotly.NET), shared by the CLI report and the notebooks.</summary>
public static class ComparisonCharts
{
    /// <summary>Validation accuracy per epoch, one line per strategy (mean over seeds).</summary>
    public static GenericChart LearningCurves(Comparison comparison) =>
        Titled(CSharpChart.Combine(comparison.Strategies.Select(s =>
            CSharpChart.Line<int, double, string>(x: Enumerable.Range(1, s.MeanCurve.Count), y: s.MeanCurve, Name: Html.ChartText(s.Strategy.Name), ShowMarkers: true))),
            "Validation accuracy per epoch", "epoch", "validation accuracy");

    /// <summary>Training loss and validation accuracy of one run's history.</summary>
    public static GenericChart History(IReadOnlyList<EpochRecord> history, string name = "") =>
        Titled(CSharpChart.Combine(
        [
            CSharpChart.Line<int, double, string>(x: history.Select(h => h.Epoch), y: history.Select(h => h.TrainLoss), Name: Html.ChartText($"{name} train loss".Trim()), ShowMarkers: true),
            CSharpChart.Line<int, double, string>(x: history.Select(h => h.Epoch), y: history.Select(h => h.ValidationAccuracy), Name: Html.ChartText($"{name} val accuracy".Trim()), ShowMarkers: true),
        ]), "Training history", "epoch", "");

    /// <summary>Final validation accuracy per strategy with its 95% interval as error bars (Wilson with one seed, t over seeds otherwise).</summary>
    public static GenericChart AccuracyBars(Comparison comparison)
    {
        var column = CSharpChart.Column<double, string, string>(values: comparison.Strategies.Select(s => s.ValidationAccuracy),
            Keys: Some<IEnumerable<string>>(comparison.Strategies.Select(s => Html.ChartText(s.Strategy.Name)).ToList()), Name: "validation accuracy");
        var intervals = comparison.Strategies.Select(s => (s.ValidationAccuracy, s.ValidationAccuracyInterval)).ToList();
        string what = comparison.Seeds.Count == 1 ? "Wilson interval over the validation images, one seed" : $"t interval over {comparison.Seeds.Count} seeds";
        return Titled(WithIntervals(column, intervals), $"Final validation accuracy with 95% intervals ({what})", "strategy", "validation accuracy");
    }

    /// <summary>Adds vertical error bars from each point's value to the ends of its interval (NaN intervals draw none).</summary>
    internal static GenericChart WithIntervals(GenericChart chart, IReadOnlyList<(double Value, Interval Interval)> points) =>
        Plotly.NET.Chart.withYErrorStyle<double, double>(FSharpOption<bool>.Some(true), null, FSharpOption<bool>.Some(false),
            FSharpOption<IEnumerable<double>>.Some(points.Select(p => double.IsNaN(p.Interval.High) ? 0 : p.Interval.High - p.Value).ToList()),
            FSharpOption<IEnumerable<double>>.Some(points.Select(p => double.IsNaN(p.Interval.Low) ? 0 : p.Value - p.Interval.Low).ToList()),
            null, null, null, null, null, null, null, null).Invoke(chart);

    /// <summary>Training time against accuracy: what each strategy costs for what it gives.</summary>
    public static GenericChart TimeVsAccuracy(Comparison comparison) =>
        Titled(CSharpChart.Combine(comparison.Strategies.Select(s =>
            CSharpChart.Point<double, double, string>(x: [s.Seconds], y: [s.ValidationAccuracy], Name: Html.ChartText(s.Strategy.Name)))),
            "Cost and accuracy", "training seconds (mean)", "validation accuracy");

    /// <summary>The confusion matrix (rows: true class, columns: predicted).</summary>
    public static GenericChart ConfusionMatrix(Evaluation evaluation, string title = "Confusion matrix")
    {
        int n = evaluation.Classes.Count;
        var rows = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, n).Select(j => evaluation.Confusion[i, j]).ToArray()).ToArray();
        var classes = evaluation.Classes.Select(Html.ChartText).ToList();
        return Titled(CSharpChart.Heatmap<int, string, string, string>(zData: rows, X: Some<IEnumerable<string>>(classes), Y: Some<IEnumerable<string>>(classes), Name: "count"),
            title, "predicted", "true");
    }

    /// <summary>Sets the title and axis titles (drawn as text: see <see cref="Html.ChartText"/>) and the size.</summary>
    static GenericChart Titled(GenericChart chart, string title, string x, string y) =>
        Plotly.NET.Chart.withTitle(Html.ChartText(title), null).Invoke(chart)
            .WithXAxisStyle<double, double, string>(TitleText: Html.ChartText(x)).WithYAxisStyle<double, double, string>(TitleText: Html.ChartText(y)).WithSize(760, 420);

    /// <summary>Adds symmetric vertical error bars of the given sizes (e.g. the standard deviation over seeds).</summary>
    internal static GenericChart WithErrorBars(GenericChart chart, IEnumerable<double> sizes) =>
        Plotly.NET.Chart.withYErrorStyle<double, double>(FSharpOption<bool>.Some(true), null, FSharpOption<bool>.Some(true),
            FSharpOption<IEnumerable<double>>.Some(sizes.ToList()), null, null, null, null, null, null, null, null, null).Invoke(chart);

    static Plotly.NET.CSharp.Optional<T> Some<T>(T value) => new(value, true);
}
