using NotebookKit.Experiments;
using Plotly.NET;
using Plotly.NET.CSharp;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace NotebookKit.Charts;

/// <summary>The transfer-depth figure of Yosinski et al.: accuracy on B against the number of copied stages.</summary>
public static class TransferabilityCharts
{
    /// <summary>One line per treatment (AnB, AnB+, BnB, BnB+) with error bars over seeds, and the base network on B as a flat line.</summary>
    public static GenericChart Figure(TransferabilityResult result)
    {
        var depths = result.Points.Where(p => p.Depth > 0).Select(p => p.Depth).Distinct().Order().ToList();
        var lines = new List<GenericChart>();
        var baseB = result.Points.Single(p => p.Treatment == "base B");
        lines.Add(CSharpChart.Line<int, double, string>(x: depths, y: depths.Select(_ => baseB.Mean), Name: "base B (no transfer)"));
        foreach (var treatment in new[] { "AnB", "AnB+", "BnB", "BnB+" })
        {
            var points = result.Points.Where(p => p.Treatment == treatment).OrderBy(p => p.Depth).ToList();
            if (points.Count == 0) continue;
            var line = CSharpChart.Line<int, double, string>(x: points.Select(p => p.Depth), y: points.Select(p => p.Mean), Name: treatment, ShowMarkers: true);
            lines.Add(ComparisonCharts.WithErrorBars(line, points.Select(p => p.Std)));
        }
        var chart = CSharpChart.Combine(lines);
        return Plotly.NET.Chart.withTitle($"How transferable are features? {result.Dataset}, {result.Arch} ({result.Seeds.Count} seed(s))", null).Invoke(chart)
            .WithXAxisStyle<double, double, string>(TitleText: "n: stages copied (1 = stem … 5 = layer4)")
            .WithYAxisStyle<double, double, string>(TitleText: "validation accuracy on B").WithSize(760, 460);
    }
}
