using Microsoft.DotNet.Interactive.Formatting;
using NotebookKit.Runtime;

namespace NotebookKit.Interactive.Formatters;

/// <summary>Shows <see cref="TorchStatus"/> as a small table: device first.</summary>
static class TorchStatusFormatter
{
    public static void Register() => Formatter.Register<TorchStatus>((status, writer) => writer.Write(ToHtml(status)), Html.Mime);

    public static string ToHtml(TorchStatus s) => Html.Table(
    [
        ("device", s.Loaded ? $"<b>{Html.E(s.Cuda ? s.DeviceName : "CPU")}</b>" : "<b style=\"color:#b00\">torch did not load</b>"),
        ("TorchSharp", Html.E(s.TorchSharpVersion)),
        ("libtorch", Html.E(s.LibTorchVersion ?? "?")),
        ("CPU threads", Html.E(s.Threads)),
        ("libstdc++", Html.E(s.NativeFix.ToString())),
        .. (s.Error is null ? Array.Empty<(string, string)>() : [("error", $"<pre>{Html.E(s.Error)}</pre>")]),
    ]);
}
