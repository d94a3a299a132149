using System.Collections;
using Plotly.NET;

namespace NotebookKit.Charts;

/// <summary>
/// What a notebook cell would display, for the file-based apps generated from the notebooks: charts are written
/// to HTML pages (offline) next to the app's output folder, everything else is printed.
/// </summary>
public static class AppOutput
{
    /// <summary>The folder charts are written to (default: <c>nbkit-app-output</c> in the working directory).</summary>
    public static string Folder { get; set; } = "nbkit-app-output";

    static string Page(string label, string body)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.GetFullPath(Path.Combine(Folder, label + ".html"));
        File.WriteAllText(path, $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{Html.Escape(label)}</title></head><body>{body}</body></html>");
        return path;
    }

    /// <summary>Shows <paramref name="value"/>, the result of the cell called <paramref name="label"/>.</summary>
    public static void Show(object? value, string label)
    {
        switch (value)
        {
            case null:
                Console.WriteLine($"[{label}] null");
                break;
            case GenericChart chart:
                Console.WriteLine($"[{label}] chart: {OfflineChart.Save(chart, Path.Combine(Folder, label + ".html"), label)}");
                break;
            case ImageGrid.Images grid:
                Console.WriteLine($"[{label}] {grid}: {Page(label, grid.Html)}");
                break;
            case NotebookKit.Training.Evaluation evaluation:
                Console.WriteLine($"[{label}] {evaluation}; confusion matrix: {Page(label, EvaluationHtml.Render(evaluation))}");
                break;
            case NotebookKit.Training.TrainResult result:
                Console.WriteLine($"[{label}] best validation accuracy {result.BestValidationAccuracy:P1} at epoch {result.BestEpoch}{(result.StoppedEarly ? " (stopped early)" : "")}{(result.Cancelled ? " (cancelled)" : "")}");
                foreach (var epoch in result.History) Console.WriteLine($"  {epoch}");
                break;
            case string text:
                Console.WriteLine($"[{label}] {text}");
                break;
            case IEnumerable items when value.GetType().Namespace?.StartsWith("System.Linq", StringComparison.Ordinal) == true || value is Array || value.GetType().Name.StartsWith("List", StringComparison.Ordinal):
                Console.WriteLine($"[{label}]");
                foreach (var item in items) Console.WriteLine($"  {item}");
                break;
            default:
                Console.WriteLine($"[{label}] {value}");
                break;
        }
    }
}
