using NotebookKit.Training;
using Plotly.NET;
using Plotly.NET.CSharp;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace NotebookKit.Charts;

/// <summary>The LR range test's curve with its suggestion marked.</summary>
public static class LrFinderChart
{
    /// <summary>Smoothed loss against the learning rate (log scale), and the suggested rate as a point.</summary>
    public static GenericChart Figure(LrFinderResult result)
    {
        var curve = CSharpChart.Line<double, double, string>(x: result.Curve.Select(c => c.LearningRate), y: result.Curve.Select(c => c.Loss), Name: "smoothed loss");
        var pick = result.Curve.MinBy(c => Math.Abs(Math.Log(c.LearningRate) - Math.Log(result.Suggestion)));
        var suggestion = CSharpChart.Point<double, double, string>(x: [pick.LearningRate], y: [pick.Loss], Name: $"suggestion {result.Suggestion:G2}");
        return Plotly.NET.Chart.withTitle("Learning-rate range test", null).Invoke(CSharpChart.Combine([curve, suggestion]))
            .WithXAxisStyle<double, double, string>(TitleText: "learning rate", AxisType: StyleParam.AxisType.Log)
            .WithYAxisStyle<double, double, string>(TitleText: "loss").WithSize(760, 420);
    }
}
