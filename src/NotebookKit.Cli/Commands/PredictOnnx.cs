using NotebookKit.Export;
using Spectre.Console;

namespace NotebookKit.Cli.Commands;

/// <summary><c>nbkit predict --onnx model.onnx IMAGE...</c>: the exported model run by ONNX Runtime (no TorchSharp), printed as <c>predict</c> prints.</summary>
static class PredictOnnx
{
    public static int Run(string model, string[] images, int top, bool json)
    {
        using var predictor = new OnnxPredictor(model);
        var results = predictor.Predict(images, top);
        var preprocessing = PreprocessingUsed.Of(predictor.Metadata, model).ToJson();
        if (json)
            JsonOutput.Write(results.Select(r => r.Logits is null
                ? (object)new { path = r.Path, error = r.Error, partial_weights = (object?)null, preprocessing }
                : new { path = r.Path, top = r.Top.Select(t => new { @class = t.Class, index = t.Index, prob = t.Probability }), logits = r.Logits, partial_weights = (object?)null, preprocessing }).ToList());
        else
        {
            foreach (var r in results)
            {
                if (r.Logits is null) { AnsiConsole.MarkupLine($"[red]{Term.Escape(r.Path)}[/]: {Term.Escape(r.Error!)}"); continue; }
                AnsiConsole.MarkupLine($"[bold]{Term.Escape(r.Path)}[/]");
                foreach (var t in r.Top) AnsiConsole.MarkupLine($"  {t.Probability,7:P1}  {Term.Escape(t.Class)} ({t.Index})");
            }
        }
        return results.Any(r => r.Logits is null) ? 1 : 0;
    }
}
