using NotebookKit.Experiments;
using Plotly.NET;
using Plotly.NET.CSharp;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace NotebookKit.Charts;

/// <summary>The data-size study's crossover figure.</summary>
public static class StudyCharts
{
    static readonly string[] Palette = ["31,119,180", "255,127,14", "44,160,44", "214,39,40", "148,103,189", "140,86,75"];

    /// <summary>Validation accuracy against images per class (log x), one line per strategy with its 95% band.</summary>
    public static GenericChart Crossover(StudyResult study)
    {
        var names = study.Points[0].Strategies.Select(s => s.Strategy.Name).ToList();
        var traces = names.Select((name, i) =>
        {
            var points = study.Points.Select(p => (p.PerClass, Summary: p.Of(name))).Where(x => x.Summary is not null).ToList();
            var x = points.Select(p => (double)p.PerClass).ToList();
            var y = points.Select(p => p.Summary!.ValidationAccuracy).ToList();
            var intervals = points.Select(p => p.Summary!.ValidationAccuracyInterval).ToList();
            var upper = intervals.Select((ci, k) => double.IsNaN(ci.High) ? y[k] : ci.High).ToList();
            var lower = intervals.Select((ci, k) => double.IsNaN(ci.Low) ? y[k] : ci.Low).ToList();
            var rgb = Palette[i % Palette.Length];
            return CSharpChart.Range<double, double, string>(x: x, y: y, upper: upper, lower: lower, mode: StyleParam.Mode.Lines_Markers, Name: Html.ChartText(name),
                RangeColor: Color.fromString($"rgba({rgb},0.18)"), LineColor: Color.fromString($"rgb({rgb})"), MarkerColor: Color.fromString($"rgb({rgb})"),
                UpperName: Html.ChartText($"{name} upper 95%"), LowerName: Html.ChartText($"{name} lower 95%"));
        });
        string band = study.Seeds.Count == 1 ? "Wilson 95% bands, one seed" : $"t 95% bands over {study.Seeds.Count} seeds";
        return Plotly.NET.Chart.withTitle(Html.ChartText($"Where does fine-tuning overtake freezing? {study.Dataset}, {study.Arch} ({band})"), null).Invoke(CSharpChart.Combine(traces))
            .WithXAxisStyle<double, double, string>(TitleText: "training images per class (log scale)", AxisType: StyleParam.AxisType.Log)
            .WithYAxisStyle<double, double, string>(TitleText: "final validation accuracy").WithSize(820, 480);
    }
}
