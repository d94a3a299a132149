using System.Globalization;
using Microsoft.DotNet.Interactive.Formatting;
using NotebookKit.Charts;
using NotebookKit.Data;

namespace NotebookKit.Interactive.Formatters;

/// <summary>Datasets as class counts with a sample grid; inspections with their problem table.</summary>
static class DatasetFormatter
{
    public static void Register()
    {
        Formatter.Register<ImageDataset>((d, writer) => writer.Write(ToHtml(d)), Html.Mime);
        Formatter.Register<DatasetSource>((s, writer) => writer.Write(
            $"<div><b>{Html.E(s.Name)}</b> ({Html.E(s.Format)}): {string.Join(", ", s.Splits().Select(x => $"{x.Split} {x.Data.Count}"))} images</div>" + ToHtml(s.Train)), Html.Mime);
        Formatter.Register<DatasetInspection>((r, writer) => writer.Write(ToHtml(r)), Html.Mime);
    }

    static string ToHtml(ImageDataset d)
    {
        var counts = d.ClassCounts();
        var table = "<table style=\"border-collapse:collapse\"><tr><th>class</th><th>images</th></tr>"
            + string.Concat(d.Classes.Select((c, i) => $"<tr><td>{Html.E(c)}</td><td style=\"text-align:right\">{counts[i].ToString(CultureInfo.InvariantCulture)}</td></tr>")) + "</table>";
        var samples = Enumerable.Range(0, d.Classes.Count)
            .SelectMany(c => Enumerable.Range(0, d.Count).Where(i => d.LabelOf(i) == c).Take(2))
            .Select(i => new ImageGrid.Cell(i, d.Classes[d.LabelOf(i)]));
        return $"<div><b>{Html.E(d.Name)}</b>: {d.Count} images, {d.Classes.Count} classes<div style=\"display:flex;gap:16px\">{table}{ImageGrid.Html(d, samples, 64)}</div></div>";
    }

    static string ToHtml(DatasetInspection r)
    {
        var classes = string.Join(", ", r.Classes.Select(c => $"{Html.E(c.Name)} {c.Count}"));
        var problems = r.Problems.Count == 0 ? "<p>No bad files.</p>"
            : $"<table style=\"border-collapse:collapse\"><tr><th>file</th><th>reason</th></tr>{string.Concat(r.Problems.Select(p => $"<tr><td>{Html.E(p.Path)}</td><td>{Html.E(p.Reason)}</td></tr>"))}</table>";
        var warnings = string.Concat(r.Warnings.Select(w => $"<li>{Html.E(w)}</li>"));
        return $"<div><b>{Html.E(r.Root)}</b> ({Html.E(r.Format)}), usable: {classes}<br>{Html.E(r.ImageSize?.ToString() ?? "")}<h4>{r.Problems.Count} file(s) skipped</h4>{problems}"
            + (warnings.Length > 0 ? $"<ul>{warnings}</ul>" : "") + "</div>";
    }
}
