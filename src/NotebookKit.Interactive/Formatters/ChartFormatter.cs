using Microsoft.DotNet.Interactive.Formatting;
using NotebookKit.Charts;
using Plotly.NET;

namespace NotebookKit.Interactive.Formatters;

/// <summary>
/// Renders Plotly.NET charts inline with plotly.js embedded (from Plotly.NET's own resources),
/// so charts show without internet, unlike the CDN/require.js default.
/// </summary>
static class ChartFormatter
{
    public static void Register() => Formatter.Register<GenericChart>((chart, writer) => writer.Write(OfflineChart.ToHtmlFragment(chart)), Html.Mime);
}
