using NotebookKit.Charts;
using NotebookKit.Tests.Support;
using Plotly.NET.CSharp;

namespace NotebookKit.Tests.Charts;

public class OfflineChartTests
{
    static Plotly.NET.GenericChart Sample() => Chart.Line<int, double, string>(x: new[] { 1, 2, 3 }, y: new[] { 0.5, 0.25, 0.125 }, Name: "loss");

    [Fact]
    public void A_saved_page_carries_plotly_js_and_loads_nothing_from_the_network()
    {
        using var temp = new TempDir();
        var path = OfflineChart.Save(Sample(), Path.Combine(temp.Path, "chart.html"));

        var html = File.ReadAllText(path);
        Assert.Contains("plotly.js v2.", html);           // the library itself, inlined
        Assert.Contains("Plotly.newPlot(", html);        // the chart drawing call
        Assert.Contains("\"name\":\"loss\"", html);
        Assert.DoesNotContain("<script src=", html);      // no external script of any kind
        Assert.DoesNotContain("cdn.plot.ly/plotly", html); // (plotly.js mentions the CDN only as the default for geo topojson)
        Assert.DoesNotContain("requirejs.config", html);
        Assert.True(html.Length > 1_000_000, "plotly.js (about 3.5 MB) should be inlined");
    }

    [Fact]
    public void A_notebook_fragment_defines_plotly_only_when_missing_and_sidesteps_requirejs()
    {
        var fragment = OfflineChart.ToHtmlFragment(Sample());

        Assert.StartsWith("<script type=\"text/javascript\">if (typeof window.Plotly === 'undefined')", fragment);
        Assert.Contains("window.define = undefined", fragment);
        Assert.Contains("Plotly.newPlot(", fragment);
        Assert.DoesNotContain("<script src=", fragment);
    }
}
