using Microsoft.DotNet.Interactive.Formatting;
using NotebookKit.Charts;
using NotebookKit.Training;

namespace NotebookKit.Interactive.Formatters;

/// <summary>An evaluation as its headline numbers, confusion matrix (heat-map table) and per-class metrics.</summary>
static class EvaluationFormatter
{
    public static void Register() => Formatter.Register<Evaluation>((e, writer) => writer.Write(EvaluationHtml.Render(e)), Html.Mime);
}
