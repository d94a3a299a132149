using Microsoft.DotNet.Interactive.Formatting;
using TorchSharp;

namespace NotebookKit.Interactive.Formatters;

/// <summary>Shows a tensor as its shape, dtype and device, then a numpy-style preview of its values.</summary>
static class TensorFormatter
{
    public static void Register() => Formatter.Register<torch.Tensor>((tensor, writer) => writer.Write(ToHtml(tensor)), Html.Mime);

    public static string ToHtml(torch.Tensor t)
    {
        if (t.IsInvalid) return "<b>Tensor</b> (disposed)";
        var header = $"shape [{string.Join(", ", t.shape)}], {t.dtype}, {t.device}" + (t.requires_grad ? ", requires_grad" : "");
        var preview = t.ToString(TensorStringStyle.Numpy);
        return $"<div><b>Tensor</b> {Html.E(header)}<pre style=\"margin:4px 0\">{Html.E(preview)}</pre></div>";
    }
}
