using System.CommandLine;
using System.Globalization;
using NotebookKit.Data;
using NotebookKit.Models.Weights;
using NotebookKit.Runtime;
using Spectre.Console;
using static TorchSharp.torch;

namespace NotebookKit.Cli.Commands;

/// <summary><c>nbkit predict</c> and <c>nbkit features</c>: run a pretrained model on images with the weights' own preprocessing.</summary>
static class PredictCommand
{
    public static Command Predict()
    {
        var options = new ModelOptions();
        var top = new Option<int>("--top") { Description = "How many classes to show per image.", DefaultValueFactory = _ => 5 };
        var images = new Argument<string[]>("images") { Description = "Image files.", Arity = ArgumentArity.OneOrMore };
        var json = CommonOptions.Json();
        var onnx = new Option<string?>("--onnx") { Description = "Run a model exported by `nbkit export` with ONNX Runtime instead (no TorchSharp); --arch and --weights are then ignored." };
        var command = new Command("predict", "Top-K classes per image (class names when the weights have categories); --json adds the raw logits.") { top, json, images, onnx };
        options.AddTo(command);
        command.SetAction(parse =>
        {
            if (parse.GetValue(onnx) is { } exported) return PredictOnnx.Run(exported, parse.GetValue(images)!, parse.GetValue(top), parse.GetValue(json));
            TorchRuntime.Require();
            var pretrained = Pretrained.Load(parse.GetValue(options.Arch)!, parse.GetValue(options.Weights)!);
            if (pretrained.Entry is { Categories: null })
                return Fail($"{pretrained.WeightsName} has no classifier (a feature extractor); use `nbkit features`, or fine-tune a head first.");
            var results = Run(pretrained, parse.GetValue(images)!, (model, x) => model.forward(x));
            int k = Math.Max(1, parse.GetValue(top));
            var output = results.Select(r => r.Values is null
                ? (object)new { path = r.Path, error = r.Error }
                : new { path = r.Path, top = Top(r.Values, k, pretrained.Categories).Select(t => new { @class = t.@class, index = t.index, prob = t.prob }), logits = r.Values }).ToList();
            if (parse.GetValue(json)) JsonOutput.Write(output);
            else
            {
                foreach (var r in results)
                {
                    if (r.Values is null) { AnsiConsole.MarkupLine($"[red]{Markup.Escape(r.Path)}[/]: {Markup.Escape(r.Error!)}"); continue; }
                    AnsiConsole.MarkupLine($"[bold]{Markup.Escape(r.Path)}[/]");
                    foreach (var t in Top(r.Values, k, pretrained.Categories))
                        AnsiConsole.MarkupLine($"  {t.prob,7:P1}  {Markup.Escape(t.@class)} ({t.index})");
                }
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
        var command = new Command("features", "Pooled backbone features per image (what a new head is trained on).") { json, images };
        options.AddTo(command);
        command.SetAction(parse =>
        {
            TorchRuntime.Require();
            var pretrained = Pretrained.Load(parse.GetValue(options.Arch)!, parse.GetValue(options.Weights)!);
            var results = Run(pretrained, parse.GetValue(images)!, (model, x) => model.ForwardFeatures(x));
            if (parse.GetValue(json))
                JsonOutput.Write(results.Select(r => r.Values is null ? (object)new { path = r.Path, error = r.Error } : new { path = r.Path, features = r.Values }));
            else
                foreach (var r in results)
                    AnsiConsole.MarkupLine(r.Values is null
                        ? $"[red]{Markup.Escape(r.Path)}[/]: {Markup.Escape(r.Error!)}"
                        : $"{Markup.Escape(r.Path)}: {r.Values.Length} features, mean {r.Values.Average():F4}, first [{string.Join(", ", r.Values.Take(4).Select(v => v.ToString("F3", CultureInfo.InvariantCulture)))}, …]");
            return results.Any(r => r.Values is null) ? 1 : 0;
        });
        return command;
    }

    sealed record ImageResult(string Path, float[]? Values, string? Error);

    static List<ImageResult> Run(PretrainedModel pretrained, string[] paths, Func<NotebookKit.Models.ResNetModel, Tensor, Tensor> forward)
    {
        var model = pretrained.Model;
        model.eval();
        var pipeline = pretrained.Preprocessing.Eval();
        var results = new List<ImageResult>();
        foreach (var path in paths)
        {
            try
            {
                var buffer = new float[pipeline.ValuesPerImage];
                pipeline.Process(ImageFile.Load(path), new Random(0), buffer);
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                var x = tensor(buffer, [1, 3, pipeline.Size, pipeline.Size]);
                results.Add(new ImageResult(path, forward(model, x).data<float>().ToArray(), null));
            }
            catch (BadImageException e) { results.Add(new ImageResult(path, null, e.Reason)); }
        }
        return results;
    }

    static IEnumerable<(string @class, int index, double prob)> Top(float[] logits, int k, IReadOnlyList<string>? categories)
    {
        double max = logits.Max();
        var exp = logits.Select(l => Math.Exp(l - max)).ToArray();
        double sum = exp.Sum();
        return exp.Select((e, i) => (categories?[i] ?? i.ToString(CultureInfo.InvariantCulture), i, e / sum))
            .OrderByDescending(t => t.Item3).Take(k);
    }

    static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}
