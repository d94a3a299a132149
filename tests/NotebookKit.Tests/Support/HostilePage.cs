using System.Text.Json;
using NotebookKit.Charts;

namespace NotebookKit.Tests.Support;

/// <summary>
/// Names that try to break out of a page (class names, dataset names, captions), and a check that reads a page as a
/// browser's HTML parser would: every script is one the kit writes, no tag carries an event handler or a foreign source,
/// and the names are there only in escaped form.
/// </summary>
static class HostilePage
{
    /// <summary>Hostile names that a CSV label (or any string) can hold: end the script, open a tag, open a comment, quotes, unicode.</summary>
    public static readonly string[] Names =
    [
        "</script><script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "<!--<script>",
        "Tom's \"cat\" & <b>dog</b>",
        "猫\u2028🐱 ünïcödé",
    ];

    /// <summary>Hostile names a folder can have (no '/').</summary>
    public static readonly string[] FolderNames =
    [
        "\"><img src=x onerror=alert(1)>",
        "<!--<script>alert(1)<",
        "Tom's \"cat\" & <b>dog<b>",
        "猫 🐱 ünïcödé",
    ];

    static readonly HashSet<string> KitTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "html", "head", "meta", "title", "style", "body", "div", "span", "p", "b", "small", "br", "h1", "h2", "h3", "h4", "code", "pre",
        "table", "tr", "th", "td", "caption", "ul", "li", "figure", "figcaption", "img", "details", "summary",
        "svg", "line", "text", "rect", "polyline", "circle",
    };

    /// <summary>What a checked page holds: its chart figures (parsed JSON) and its text outside scripts.</summary>
    public sealed record Page(IReadOnlyList<JsonElement> Figures, string Markup)
    {
        /// <summary>Every string value in every chart figure.</summary>
        public IReadOnlyList<string> ChartStrings => Figures.SelectMany(Strings).ToList();
    }

    /// <summary>
    /// Checks <paramref name="html"/>: (1) it holds none of <paramref name="hostile"/> as written; (2) each script (from
    /// <c>&lt;script</c> to the first <c>&lt;/script</c>, as the HTML parser ends it) is the plotly.js loader or a chart
    /// drawing script, and a chart script holds no <c>&lt;!--</c> and its figure parses as JSON whose strings contain no
    /// tag; (3) outside scripts, no comment opens and every tag is one the kit writes, with no <c>on…</c> attribute and no
    /// source but an embedded PNG.
    /// </summary>
    public static Page Check(string html, IEnumerable<string> hostile)
    {
        foreach (var name in hostile) Assert.DoesNotContain(name, html);
        var figures = new List<JsonElement>();
        var markup = new System.Text.StringBuilder();
        int at = 0;
        while (true)
        {
            int open = html.IndexOf("<script", at, StringComparison.OrdinalIgnoreCase);
            if (open < 0) { markup.Append(html, at, html.Length - at); break; }
            markup.Append(html, at, open - at);
            int start = html.IndexOf('>', open) + 1;
            int close = html.IndexOf("</script", start, StringComparison.OrdinalIgnoreCase);
            Assert.True(close > 0, "a script that never ends");
            figures.AddRange(CheckScript(html[start..close]));
            at = html.IndexOf('>', close) + 1;
        }
        CheckMarkup(markup.ToString());
        return new Page(figures, markup.ToString());
    }

    static IEnumerable<JsonElement> CheckScript(string script)
    {
        if (script.StartsWith("if (typeof window.Plotly === 'undefined')", StringComparison.Ordinal)) yield break; // plotly.js itself
        const string head = "(function () { var figure = ", tail = ";\nPlotly.newPlot('";
        Assert.True(script.StartsWith(head, StringComparison.Ordinal), $"a script the kit does not write: {script[..Math.Min(200, script.Length)]}");
        Assert.DoesNotContain("<!--", script);
        Assert.DoesNotContain("</", script);
        int end = script.IndexOf(tail, StringComparison.Ordinal);
        Assert.True(end > 0, "a chart script without its figure");
        using var figure = JsonDocument.Parse(script[head.Length..end]);
        foreach (var text in Strings(figure.RootElement))
            Assert.False(text.Contains('<') || text.Contains('>'), $"plotly.js would read a tag in '{text}'");
        yield return figure.RootElement.Clone();
    }

    static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        _ => [],
    };

    static void CheckMarkup(string markup)
    {
        int i = 0;
        while ((i = markup.IndexOf('<', i)) >= 0)
        {
            if (string.CompareOrdinal(markup, i, "<!DOCTYPE", 0, 9) == 0) { i = markup.IndexOf('>', i); continue; }
            Assert.False(string.CompareOrdinal(markup, i, "<!--", 0, 4) == 0, $"a comment opens in the page: {Around(markup, i)}");
            if (i + 1 < markup.Length && markup[i + 1] == '/') { i = markup.IndexOf('>', i); continue; }
            Assert.True(i + 1 < markup.Length && char.IsAsciiLetter(markup[i + 1]), $"a bare '<' in the page (should be &lt;): {Around(markup, i)}");
            i = Tag(markup, i + 1);
        }
    }

    /// <summary>Reads the tag whose name starts at <paramref name="i"/>; returns where it ends.</summary>
    static int Tag(string markup, int i)
    {
        int start = i;
        while (i < markup.Length && char.IsAsciiLetterOrDigit(markup[i])) i++;
        var name = markup[start..i];
        Assert.True(KitTags.Contains(name), $"a tag the kit does not write: <{name}: {Around(markup, start)}");
        while (i < markup.Length && markup[i] != '>')
        {
            if (char.IsWhiteSpace(markup[i]) || markup[i] == '/') { i++; continue; }
            int a = i;
            while (i < markup.Length && !char.IsWhiteSpace(markup[i]) && markup[i] is not ('=' or '>' or '/')) i++;
            var attribute = markup[a..i];
            string value = "";
            if (i < markup.Length && markup[i] == '=')
            {
                i++;
                if (markup[i] is '"' or '\'')
                {
                    char quote = markup[i];
                    int end = markup.IndexOf(quote, i + 1);
                    value = markup[(i + 1)..end];
                    i = end + 1;
                }
                else
                {
                    int v = i;
                    while (i < markup.Length && !char.IsWhiteSpace(markup[i]) && markup[i] != '>') i++;
                    value = markup[v..i];
                }
            }
            Assert.False(attribute.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"an event handler: <{name} {attribute}={value}");
            if (attribute.Equals("src", StringComparison.OrdinalIgnoreCase) || attribute.Equals("href", StringComparison.OrdinalIgnoreCase))
                Assert.StartsWith("data:image/png;base64,", value);
        }
        if (name.Equals("style", StringComparison.OrdinalIgnoreCase)) return markup.IndexOf("</style", i, StringComparison.OrdinalIgnoreCase);
        return i;
    }

    static string Around(string text, int i) => text[Math.Max(0, i - 60)..Math.Min(text.Length, i + 60)];

    /// <summary>Asserts that every name is shown, HTML-escaped, in the page's markup.</summary>
    public static void ShowsEscaped(Page page, IEnumerable<string> names)
    {
        foreach (var name in names) Assert.Contains(Html.Escape(name), page.Markup);
    }

    /// <summary>Asserts that every name reaches a chart as text for plotly.js to draw (entities for &amp;, &lt;, &gt;).</summary>
    public static void ChartsShow(Page page, IEnumerable<string> names)
    {
        var strings = page.ChartStrings;
        foreach (var name in names) Assert.Contains(strings, s => s.Contains(Html.ChartText(name), StringComparison.Ordinal));
    }
}
