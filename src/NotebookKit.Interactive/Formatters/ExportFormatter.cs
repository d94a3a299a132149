using System.Globalization;
using Microsoft.DotNet.Interactive.Formatting;
using NotebookKit.Export;

namespace NotebookKit.Interactive.Formatters;

/// <summary>An export's agreement check as a verdict and a small table; an export result as its file, operators and metadata.</summary>
static class ExportFormatter
{
    public static void Register()
    {
        Formatter.Register<OnnxAgreement>((a, writer) => writer.Write(ToHtml(a)), Html.Mime);
        Formatter.Register<OnnxExportResult>((r, writer) => writer.Write(ToHtml(r)), Html.Mime);
    }

    public static string ToHtml(OnnxAgreement a) =>
        $"<div><b>ONNX Runtime vs TorchSharp</b> on {a.Images} images x {a.Outputs} outputs: "
        + (a.Agrees() ? $"<b style=\"color:#070\">within the {G(OnnxAgreement.Tolerance)} tolerance</b>" : $"<b style=\"color:#b00\">over the {G(OnnxAgreement.Tolerance)} tolerance</b>")
        + Html.Table(
        [
            ("max relative difference", Html.E(G(a.MaxRelativeDifference))),
            ("max absolute difference", Html.E(G(a.MaxAbsoluteDifference))),
            ("same top-1 class", Html.E($"{a.SameTop1}/{a.Images}")),
        ]) + "</div>";

    public static string ToHtml(OnnxExportResult r) => Html.Table(
    [
        ("file", $"<b>{Html.E(r.Path)}</b> ({Html.E((r.Bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture))} MB, opset {r.Opset})"),
        ("operators", Html.E(string.Join(", ", r.Operators))),
        ("feeding it", Html.E(r.Metadata.ToString())),
        ("classes", Html.E(string.Join(", ", r.Metadata.Classes))),
    ]);

    static string G(double value) => value.ToString("G2", CultureInfo.InvariantCulture);
}
