using System.CommandLine;
using System.Globalization;
using NotebookKit.Models;
using NotebookKit.Runtime;
using Spectre.Console;

namespace NotebookKit.Cli.Commands;

/// <summary><c>nbkit predict</c> and <c>nbkit features</c>: a thin shell over the library's <see cref="Predictor"/>.</summary>
static class PredictCommand
{
    public static Command Predict()
    {
        var options = new ModelOptions();
        var top = new Option<int>("--top") { Description = "How many classes to show per image.", DefaultValueFactory = _ => 5 }.Within(Ranges.Top);
        var images = new Argument<string[]>("images") { Description = "Image files.", Arity = ArgumentArity.OneOrMore };
        var json = CommonOptions.Json();
        var onnx = new Option<string?>("--onnx") { Description = "Run a model exported by `nbkit export` with ONNX Runtime instead (no TorchSharp); --arch, --weights and --checkpoint are then ignored." };
        var command = new Command("predict", "Top-K classes per image (class names when the weights or the run's model.json have them); --json adds the raw logits and the preprocessing used. A non-finite output is an error, never a result.") { top, json, images, onnx };
        options.AddTo(command, checkpoint: true);
        command.SetAction(parse =>
        {
            if (parse.GetValue(onnx) is { } exported) return PredictOnnx.Run(exported, parse.GetValue(images)!, parse.GetValue(top), parse.GetValue(json));
            TorchRuntime.Require();
            using var loaded = PredictionModel.Load(parse, options);
            if (!loaded.HasClassifier)
                throw new KitException($"{loaded.WeightsName} has no classifier (a feature extractor); use `nbkit features`, or fine-tune a head first.");
            CommonOptions.WarnIfPartial(loaded.Report);
            loaded.NoteAssumption();
            var partial = NotebookKit.Reports.ResultsJson.PartialWeights(loaded.Report);
            var preprocessing = loaded.Preprocessing.ToJson();
            var results = loaded.Predictor.Predict(parse.GetValue(images)!, parse.GetValue(top));
            if (parse.GetValue(json))
                JsonOutput.Write(results.Select(r => r.Values is null
                    ? (object)new { path = r.Path, error = r.Error, partial_weights = partial, preprocessing }
                    : new { path = r.Path, top = r.Top.Select(t => new { @class = t.Class, index = t.Index, prob = t.Probability }), logits = r.Values, partial_weights = partial, preprocessing }).ToList());
            else
                foreach (var r in results)
                {
                    if (r.Values is null) { AnsiConsole.MarkupLine($"[red]{Term.Escape(r.Path)}[/]: {Term.Escape(r.Error!)}"); continue; }
                    AnsiConsole.MarkupLine($"[bold]{Term.Escape(r.Path)}[/]");
                    foreach (var t in r.Top)
                        AnsiConsole.MarkupLine(Term.Escape(string.Create(CultureInfo.InvariantCulture, $"  {t.Probability,7:P1}  {t.Class} ({t.Index})")));
                }
            return results.Any(r => r.Values is null) ? 1 : 0;
        });
        return command;
    }

    public static Command Features()
    {
        var options = new ModelOptions();
        var images = new Argument<string[]>("images") { Description = "Image files.", Arity = ArgumentArity.OneOrMore };
        var json = CommonOptions.Json();
        var command = new Command("features", "Pooled backbone features per image (what a new head is trained on); --json adds the preprocessing used. A non-finite output is an error, never a result.") { json, images };
        options.AddTo(command, checkpoint: true);
        command.SetAction(parse =>
        {
            TorchRuntime.Require();
            using var loaded = PredictionModel.Load(parse, options);
            CommonOptions.WarnIfPartial(loaded.Report);
            loaded.NoteAssumption();
            var partial = NotebookKit.Reports.ResultsJson.PartialWeights(loaded.Report);
            var preprocessing = loaded.Preprocessing.ToJson();
            var results = parse.GetValue(images)!.Select(loaded.Predictor.Features).ToList();
            if (parse.GetValue(json))
                JsonOutput.Write(results.Select(r => r.Values is null
                    ? (object)new { path = r.Path, error = r.Error, partial_weights = partial, preprocessing }
                    : new { path = r.Path, features = r.Values, partial_weights = partial, preprocessing }));
            else
                foreach (var r in results)
                    AnsiConsole.MarkupLine(r.Values is null
                        ? $"[red]{Term.Escape(r.Path)}[/]: {Term.Escape(r.Error!)}"
                        : Term.Escape(string.Create(CultureInfo.InvariantCulture,
                            $"{r.Path}: {r.Values.Length} features, mean {r.Values.Average():F4}, first [{string.Join(", ", r.Values.Take(4).Select(v => v.ToString("F3", CultureInfo.InvariantCulture)))}, …]")));
            return results.Any(r => r.Values is null) ? 1 : 0;
        });
        return command;
    }
}
