using System.Globalization;
using NotebookKit.Data;
using NotebookKit.Data.Transforms;
using NotebookKit.Models.Weights;
using static TorchSharp.torch;

namespace NotebookKit.Models;

/// <summary>A class and its softmax probability.</summary>
public sealed record ClassScore(string Class, int Index, double Probability)
{
    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Probability:P1} {Class} ({Index})");
}

/// <summary>What the model made of one image: raw outputs (logits, or features) and the top classes, or why the image could not be read.</summary>
/// <param name="Path">The image file.</param>
/// <param name="Values">The model's outputs for it (logits for <see cref="Predictor.Predict(string, int)"/>, pooled features for <see cref="Predictor.Features"/>); null on error.</param>
/// <param name="Top">The most probable classes, best first (empty for features or on error).</param>
/// <param name="Error">Why the file could not be used (not an image, truncated, unreadable...), else null.</param>
public sealed record ImagePrediction(string Path, float[]? Values, IReadOnlyList<ClassScore> Top, string? Error)
{
    /// <inheritdoc/>
    public override string ToString() => Error is not null ? $"{Path}: {Error}" : $"{Path}: {string.Join("; ", Top)}";
}

/// <summary>
/// Runs a model on image files the way it was trained to see them: the weights' own preprocessing (resize, crop,
/// normalization), a forward pass in eval mode on the model's device, softmax and top-k. One bad file gives an error
/// entry, never an exception for the whole list. Used by <c>nbkit predict</c> / <c>nbkit features</c> and notebooks.
/// </summary>
public sealed class Predictor
{
    readonly ResNetModel model;
    readonly ImagePipeline pipeline;

    /// <summary>A predictor for <paramref name="model"/> with the input <paramref name="preprocessing"/> it expects.</summary>
    /// <param name="model">The model (any head).</param>
    /// <param name="preprocessing">Its input preprocessing (from the weights: <see cref="PretrainedModel.Preprocessing"/>).</param>
    /// <param name="categories">Names of the head's classes (ImageNet's, or your dataset's); default: the class indices.</param>
    /// <param name="imageSize">Input side length; default: the preprocessing's own crop size (224 for ImageNet weights).</param>
    public Predictor(ResNetModel model, Preprocessing preprocessing, IReadOnlyList<string>? categories = null, int? imageSize = null)
    {
        this.model = model;
        pipeline = imageSize is { } size ? preprocessing.Eval(Ranges.ImageSize.Check(size, nameof(imageSize))) : preprocessing.Eval();
        Categories = categories;
    }

    /// <summary>A predictor for a loaded pretrained model (its preprocessing and categories).</summary>
    public Predictor(PretrainedModel pretrained, int? imageSize = null) : this(pretrained.Model, pretrained.Preprocessing, pretrained.Categories, imageSize) { }

    /// <summary>Class names of the head, when known.</summary>
    public IReadOnlyList<string>? Categories { get; }

    /// <summary>The top <paramref name="top"/> classes of one image, with the logits.</summary>
    public ImagePrediction Predict(string path, int top = 5)
    {
        Ranges.Top.Check(top, nameof(top));
        return Run(path, x => model.forward(x), logits => TopK(logits, top, Categories));
    }

    /// <summary><see cref="Predict(string, int)"/> for each file, in order.</summary>
    public IReadOnlyList<ImagePrediction> Predict(IEnumerable<string> paths, int top = 5)
    {
        Ranges.Top.Check(top, nameof(top));
        return paths.Select(p => Predict(p, top)).ToList();
    }

    /// <summary>The pooled backbone features of one image (what a new head is trained on).</summary>
    public ImagePrediction Features(string path) => Run(path, x => model.ForwardFeatures(x), _ => []);

    /// <summary>Softmax over <paramref name="logits"/> and the <paramref name="k"/> most probable classes, best first.</summary>
    public static IReadOnlyList<ClassScore> TopK(float[] logits, int k, IReadOnlyList<string>? categories = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        double max = logits.Max();
        var exp = logits.Select(l => Math.Exp(l - max)).ToArray();
        double sum = exp.Sum();
        return exp.Select((e, i) => new ClassScore(categories is not null && i < categories.Count ? categories[i] : i.ToString(CultureInfo.InvariantCulture), i, e / sum))
            .OrderByDescending(s => s.Probability).Take(k).ToList();
    }

    /// <summary>
    /// Why <paramref name="values"/> (a model's outputs) cannot be reported, or null when every one is finite: a NaN or
    /// infinite output comes from damaged weights or an overflowing input, never a result.
    /// </summary>
    public static string? NonFinite(IReadOnlyList<float> values)
    {
        int bad = values.Count(v => !float.IsFinite(v));
        return bad == 0 ? null : string.Create(CultureInfo.InvariantCulture,
            $"the model's output is not finite ({bad} of {values.Count} values are NaN or infinity), so there is no result: the weights are damaged (e.g. a negative BatchNorm variance) or the input overflows them. Load the weights again (a fresh download or export) or retrain them.");
    }

    ImagePrediction Run(string path, Func<Tensor, Tensor> forward, Func<float[], IReadOnlyList<ClassScore>> top)
    {
        float[] buffer = new float[pipeline.ValuesPerImage];
        try
        {
            using var image = ImageFile.Load(path);
            pipeline.Process(image, new Random(0), buffer);
        }
        catch (BadImageException e) { return new ImagePrediction(path, null, [], e.Reason); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return new ImagePrediction(path, null, [], e.Message); }

        bool training = model.training;
        model.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var x = tensor(buffer, [1, 3, pipeline.Size, pipeline.Size]).to(model.Device);
            var values = forward(x).cpu().data<float>().ToArray();
            if (NonFinite(values) is { } problem) return new ImagePrediction(path, null, [], problem);
            return new ImagePrediction(path, values, top(values), null);
        }
        finally { model.train(training); }
    }
}
