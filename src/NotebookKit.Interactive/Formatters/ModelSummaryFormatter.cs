using System.Globalization;
using Microsoft.DotNet.Interactive.Formatting;
using NotebookKit.Models;

namespace NotebookKit.Interactive.Formatters;

/// <summary>Shows a <see cref="ModelSummary"/> (and a <see cref="ResNetModel"/>, through its summary) as a table; frozen parts are greyed and marked.</summary>
static class ModelSummaryFormatter
{
    public static void Register()
    {
        Formatter.Register<ModelSummary>((summary, writer) => writer.Write(ToHtml(summary)), Html.Mime);
        Formatter.Register<ResNetModel>((model, writer) => writer.Write(ToHtml(ModelSummary.Of(model, 224))), Html.Mime);
    }

    static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string ToHtml(ModelSummary s)
    {
        const string frozen = "color:#888;background:#f2f2f2";
        var stageRows = string.Concat(s.Stages.Select(st =>
            $"<tr style=\"{(st.Frozen ? frozen : "")}\"><td>{Html.E(st.Stage)}</td><td style=\"text-align:right\">{N(st.Parameters)}</td><td style=\"text-align:right\">{(st.Frozen ? "❄ frozen" : N(st.Trainable))}</td></tr>"));
        var moduleRows = string.Concat(s.Rows.Select(r =>
            $"<tr style=\"{(r.Frozen ? frozen : "")}\"><td>{Html.E(r.Name)}</td><td>{Html.E(r.Stage)}</td><td>{Html.E(r.Type)}</td><td>[{string.Join(", ", r.OutputShape)}]</td><td style=\"text-align:right\">{N(r.Parameters)}</td><td style=\"text-align:right\">{(r.Frozen ? "❄ frozen" : N(r.Trainable))}</td></tr>"));
        return $"<div><b>{Html.E(s.Architecture)}</b> at {s.InputSize}x{s.InputSize}: {N(s.Parameters)} parameters, {N(s.Trainable)} trainable, {s.GigaMultiplyAdds:F2} G multiply-adds"
            + "<table style=\"border-collapse:collapse;margin:6px 0\"><tr><th>stage</th><th>parameters</th><th>trainable</th></tr>" + stageRows + "</table>"
            + "<details><summary>modules</summary><table style=\"border-collapse:collapse\"><tr><th>module</th><th>stage</th><th>type</th><th>output</th><th>parameters</th><th>trainable</th></tr>"
            + moduleRows + "</table></details></div>";
    }
}
