using System.Globalization;
using System.Text;

namespace NotebookKit.Charts;

/// <summary>
/// A small line chart as inline SVG: no script, no library, a few kilobytes. Used where a chart is redrawn many
/// times (live training output), where embedding plotly.js in every redraw would cost megabytes.
/// </summary>
public static class SvgLineChart
{
    /// <summary>One line. <paramref name="Markers"/> draws a dot at each point (epoch-level values).</summary>
    public sealed record Series(string Label, string Color, IReadOnlyList<(double X, double Y)> Points, bool Dashed = false, bool Markers = false);

    const int Left = 44, Right = 8, Top = 20, Bottom = 22;

    /// <summary>
    /// Draws <paramref name="series"/> over x in [0, <paramref name="xMax"/>] and y in [<paramref name="yMin"/>,
    /// <paramref name="yMax"/>] (from the data when null, padded 5%). Non-finite points are skipped.
    /// </summary>
    public static string Render(string title, IReadOnlyList<Series> series, double xMax, int width = 340, int height = 190,
        double? yMin = null, double? yMax = null, string yFormat = "G3", string xLabel = "epoch")
    {
        var ys = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).Select(p => p.Y).ToList();
        double lo = yMin ?? (ys.Count == 0 ? 0 : ys.Min()), hi = yMax ?? (ys.Count == 0 ? 1 : ys.Max());
        if (hi - lo < 1e-9) (lo, hi) = (lo - 0.5, hi + 0.5);
        double pad = (hi - lo) * 0.05;
        if (yMin is null) lo -= pad;
        if (yMax is null) hi += pad;
        xMax = Math.Max(1, xMax);
        double plotW = width - Left - Right, plotH = height - Top - Bottom;
        string X(double x) => (Left + x / xMax * plotW).ToString("F1", CultureInfo.InvariantCulture);
        string Y(double y) => (Top + (hi - y) / (hi - lo) * plotH).ToString("F1", CultureInfo.InvariantCulture);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" style=\"font:11px sans-serif;background:#fff\" role=\"img\" aria-label=\"{Html.Escape(title)}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"13\" font-weight=\"bold\">{Html.Escape(title)}</text>");
        for (int i = 0; i <= 4; i++)
        {
            double v = lo + (hi - lo) * i / 4;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{width - Right}\" y1=\"{Y(v)}\" y2=\"{Y(v)}\" stroke=\"#eee\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 4}\" y=\"{Y(v)}\" text-anchor=\"end\" dominant-baseline=\"middle\" fill=\"#555\">{Html.Escape(v.ToString(yFormat, CultureInfo.InvariantCulture))}</text>");
        }
        int step = (int)Math.Ceiling(xMax / 10);
        for (int x = 0; x <= xMax; x += step)
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(x)}\" y=\"{height - 8}\" text-anchor=\"middle\" fill=\"#555\">{x}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 10}\" y=\"{height - 8}\" text-anchor=\"end\" fill=\"#999\">{Html.Escape(xLabel)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{plotW:F1}\" height=\"{plotH:F1}\" fill=\"none\" stroke=\"#bbb\"/>");
        if (ys.Count == 0)
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + plotW / 2:F1}\" y=\"{Top + plotH / 2:F1}\" text-anchor=\"middle\" fill=\"#999\">waiting for the first values…</text>");
        foreach (var s in series)
        {
            var points = s.Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
            if (points.Count == 0) continue;
            var dash = s.Dashed ? " stroke-dasharray=\"5 3\"" : "";
            svg.Append(CultureInfo.InvariantCulture, $"<polyline data-series=\"{Html.Escape(s.Label)}\" fill=\"none\" stroke=\"{Html.Escape(s.Color)}\" stroke-width=\"1.6\"{dash} points=\"{string.Join(' ', points.Select(p => X(p.X) + "," + Y(p.Y)))}\"><title>{Html.Escape(s.Label)}</title></polyline>");
            if (s.Markers)
                foreach (var p in points)
                    svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(p.X)}\" cy=\"{Y(p.Y)}\" r=\"2.5\" fill=\"{Html.Escape(s.Color)}\"><title>{Html.Escape(s.Label)}: {Html.Escape(p.Y.ToString(yFormat, CultureInfo.InvariantCulture))} at {Html.Escape(xLabel)} {Html.Escape(p.X.ToString("G4", CultureInfo.InvariantCulture))}</title></circle>");
        }
        return svg.Append("</svg>").ToString();
    }
}
