using System.Reflection;
using Plotly.NET;

namespace NotebookKit.Charts;

/// <summary>
/// Chart HTML that works offline: plotly.js is inlined from the copy embedded in Plotly.NET instead of
/// being fetched from a CDN when the page is viewed (workshop Wi-Fi fails).
/// </summary>
public static class OfflineChart
{
    static readonly Lazy<string> plotlyJs = new(ReadEmbeddedPlotlyJs);

    /// <summary>The plotly.js source shipped inside Plotly.NET (version in <see cref="PlotlyJsResource"/>).</summary>
    public static string PlotlyJs => plotlyJs.Value;

    /// <summary>The name of the embedded plotly.js resource used.</summary>
    public static string PlotlyJsResource { get; private set; } = "";

    /// <summary>
    /// A script tag that defines <c>window.Plotly</c> unless the page already has it. It hides an AMD
    /// <c>define</c> (classic Jupyter's require.js) while it runs, so plotly.js sets the global.
    /// </summary>
    public static string PlotlyLoaderScript() =>
        "<script type=\"text/javascript\">if (typeof window.Plotly === 'undefined') { var __nbkitDefine = window.define; window.define = undefined;\n"
        + PlotlyJs.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase)
        + "\nwindow.define = __nbkitDefine; }</script>";

    /// <summary>A fragment (loader + div + drawing script) for notebooks: works on its own, offline.</summary>
    public static string ToHtmlFragment(GenericChart chart) => PlotlyLoaderScript() + ToHtmlFragmentWithoutLoader(chart);

    /// <summary>
    /// The chart's div and drawing script only; the page must load plotly.js once before it (reports do). The script is
    /// written here rather than by Plotly.NET's <c>toChartHTML</c>, which puts the figure's JSON (trace names, class names,
    /// titles) into the script as it is, so a class called <c>&lt;/script&gt;&lt;script&gt;…</c> ended the script and ran its
    /// own: the JSON goes through <see cref="Html.ScriptJson"/>, and nothing else in the script comes from the chart.
    /// </summary>
    public static string ToHtmlFragmentWithoutLoader(GenericChart chart)
    {
        var id = "nbkit-chart-" + Guid.NewGuid().ToString("N");
        return $"<div><div id=\"{id}\"></div><script type=\"text/javascript\">(function () {{ var figure = {Html.ScriptJson(GenericChart.toJson(chart))};\n"
            + $"Plotly.newPlot('{id}', figure.data, figure.layout, figure.config); }})();</script></div>";
    }

    /// <summary>A complete, self-contained HTML page with plotly.js inlined.</summary>
    public static string ToHtmlPage(GenericChart chart, string title = "NotebookKit chart") =>
        $"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{Html.Escape(title)}</title>{PlotlyLoaderScript()}</head>\n<body>{ToHtmlFragmentWithoutLoader(chart)}</body></html>\n";

    /// <summary>Writes <see cref="ToHtmlPage"/> to <paramref name="path"/> and returns the full path.</summary>
    public static string Save(GenericChart chart, string path, string title = "NotebookKit chart")
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, ToHtmlPage(chart, title));
        return full;
    }

    static string ReadEmbeddedPlotlyJs()
    {
        var assembly = typeof(GenericChart).Assembly;
        var name = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal))
            .OrderBy(n => n, StringComparer.Ordinal).LastOrDefault()
            ?? throw new InvalidOperationException($"{assembly.GetName().Name} {assembly.GetName().Version} does not embed plotly.js; charts cannot be written for offline viewing. Pin Plotly.NET 6.0.0 (Directory.Packages.props).");
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        PlotlyJsResource = name;
        return reader.ReadToEnd();
    }
}
