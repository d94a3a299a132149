using NotebookKit.Experiments;
using Plotly.NET;
using Plotly.NET.CSharp;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace NotebookKit.Charts;

/// <summary>The transfer-depth figure of Yosinski et al. and the base networks' curves.</summary>
public static class TransferabilityCharts
{
    /// <summary>
    /// One line per treatment (AnB, AnB+, BnB, BnB+) with 95% intervals as error bars, and the base network on B as a flat
    /// line in its 95% band.
    /// </summary>
    public static GenericChart Figure(TransferabilityResult result)
    {
        var depths = result.Depths.Select(d => (double)d).ToList();
        var lines = new List<GenericChart>();
        if (result.Point("base B", 0) is { } baseB && depths.Count > 0)
        {
            var ci = baseB.Interval;
            double low = double.IsNaN(ci.Low) ? baseB.Mean : ci.Low, high = double.IsNaN(ci.High) ? baseB.Mean : ci.High;
            lines.Add(CSharpChart.Range<double, double, string>(x: depths, y: depths.Select(_ => baseB.Mean), upper: depths.Select(_ => high), lower: depths.Select(_ => low),
                mode: StyleParam.Mode.Lines, Name: "base B (no transfer), 95% band", RangeColor: Color.fromString("rgba(120,120,120,0.2)"), LineColor: Color.fromString("rgb(90,90,90)"),
                UpperName: "base B upper 95%", LowerName: "base B lower 95%"));
        }
        foreach (var treatment in TransferabilityExperiment.Treatments)
        {
            var points = result.Depths.Select(n => result.Point(treatment, n)).OfType<TransferPoint>().ToList();
            if (points.Count == 0) continue;
            var line = CSharpChart.Line<int, double, string>(x: points.Select(p => p.Depth), y: points.Select(p => p.Mean), Name: Html.ChartText(treatment), ShowMarkers: true);
            lines.Add(ComparisonCharts.WithIntervals(line, points.Select(p => (p.Mean, p.Interval)).ToList()));
        }
        string what = result.Seeds.Count > 1 ? $"95% t intervals over {result.Seeds.Count} seeds" : "one seed, 95% Wilson intervals";
        return Plotly.NET.Chart.withTitle(Html.ChartText($"How transferable are features? {result.Dataset}, {result.Arch} ({what})"), null).Invoke(CSharpChart.Combine(lines))
            .WithXAxisStyle<double, double, string>(TitleText: "n: stages copied (1 = stem … 5 = layer4)")
            .WithYAxisStyle<double, double, string>(TitleText: "validation accuracy on B").WithSize(760, 460);
    }

    /// <summary>The base networks' validation accuracy per epoch (one line per half and seed): are they near convergence?</summary>
    public static GenericChart BaseCurves(TransferabilityResult result) =>
        Plotly.NET.Chart.withTitle("Base networks: validation accuracy on their own half, per epoch", null).Invoke(CSharpChart.Combine(result.BaseCurves.Select(c =>
                CSharpChart.Line<int, double, string>(x: c.History.Select(h => h.Epoch), y: c.History.Select(h => h.ValidationAccuracy), Name: Html.ChartText($"base {c.Half} seed {c.Seed}"), ShowMarkers: true))))
            .WithXAxisStyle<double, double, string>(TitleText: "epoch")
            .WithYAxisStyle<double, double, string>(TitleText: "validation accuracy").WithSize(760, 380);
}
