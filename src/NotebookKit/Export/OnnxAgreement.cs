using System.Globalization;
using NotebookKit.Data;
using NotebookKit.Models;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace NotebookKit.Export;

/// <summary>
/// How closely an exported model run by ONNX Runtime matches the kit's model run by TorchSharp (eval mode) on the
/// same images. The relative difference of an image is max |onnx − torch| / max |torch| over its outputs; the
/// figures are the worst over the images.
/// </summary>
/// <param name="Images">Images compared (one batch).</param>
/// <param name="Outputs">Outputs per image.</param>
/// <param name="MaxAbsoluteDifference">Largest |onnx − torch|.</param>
/// <param name="MaxRelativeDifference">Largest per-image relative difference.</param>
/// <param name="SameTop1">Images whose best class is the same in both.</param>
public sealed record OnnxAgreement(int Images, int Outputs, double MaxAbsoluteDifference, double MaxRelativeDifference, int SameTop1)
{
    /// <summary>The tolerance the kit's tests hold exports to.</summary>
    public const double Tolerance = 1e-4;

    /// <summary>Whether the relative difference is within <paramref name="tolerance"/>.</summary>
    public bool Agrees(double tolerance = Tolerance) => MaxRelativeDifference <= tolerance;

    /// <summary>
    /// Runs <paramref name="images"/> through <paramref name="model"/> (TorchSharp, eval mode, on the model's device) and through
    /// the exported file (ONNX Runtime), each prepared as the file's metadata says, and compares the logits.
    /// The TorchSharp side gets the kit's normalized floats; a file with the preprocessing in its graph gets the cropped bytes.
    /// </summary>
    public static OnnxAgreement Measure(ResNetModel model, string onnxPath, IReadOnlyList<Image<Rgb24>> images)
    {
        if (images.Count == 0) throw new ArgumentException("Give at least one image to compare on.", nameof(images));
        using var predictor = new OnnxPredictor(onnxPath);
        var metadata = predictor.Metadata;
        if (metadata.Channels != model.InputChannels || metadata.Classes.Count != model.NumClasses)
            throw new ArgumentException($"{onnxPath} takes {metadata.Channels} channels and has {metadata.Classes.Count} outputs; the model takes {model.InputChannels} and has {model.NumClasses}: not its export.", nameof(onnxPath));
        var onnx = predictor.Logits(images);
        var torchLogits = TorchLogits(model, OnnxInputs.Normalized(metadata, images), images.Count, metadata);

        double maxAbs = 0, maxRel = 0;
        int same = 0;
        for (int i = 0; i < images.Count; i++)
        {
            double scale = torchLogits[i].Max(v => Math.Abs((double)v)), worst = onnx[i].Zip(torchLogits[i], (a, b) => Math.Abs((double)a - b)).Max();
            maxAbs = Math.Max(maxAbs, worst);
            maxRel = Math.Max(maxRel, scale > 0 ? worst / scale : worst);
            if (ArgMax(onnx[i]) == ArgMax(torchLogits[i])) same++;
        }
        return new OnnxAgreement(images.Count, metadata.Classes.Count, maxAbs, maxRel, same);
    }

    /// <summary>Compares on the first <paramref name="count"/> images of <paramref name="data"/> (default 7).</summary>
    public static OnnxAgreement Measure(ResNetModel model, string onnxPath, ImageDataset data, int count = 7)
    {
        var images = Enumerable.Range(0, Math.Min(count, data.Count)).Select(i => data.Load(i)).ToList();
        try { return Measure(model, onnxPath, images); }
        finally { foreach (var image in images) image.Dispose(); }
    }

    static float[][] TorchLogits(ResNetModel model, float[] input, int n, OnnxModelMetadata metadata)
    {
        bool training = model.training;
        model.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var device = model.parameters().First().device;
            var x = tensor(input, [n, metadata.Channels, metadata.InputSize, metadata.InputSize]).to(device);
            var logits = model.forward(x).cpu().data<float>().ToArray();
            int classes = logits.Length / n;
            return Enumerable.Range(0, n).Select(i => logits.AsSpan(i * classes, classes).ToArray()).ToArray();
        }
        finally { model.train(training); }
    }

    static int ArgMax(float[] values) => Array.IndexOf(values, values.Max());

    /// <inheritdoc/>
    public override string ToString() =>
        $"ONNX Runtime vs TorchSharp on {Images} images x {Outputs} outputs: max relative difference {MaxRelativeDifference.ToString("G2", CultureInfo.InvariantCulture)}"
        + $" (absolute {MaxAbsoluteDifference.ToString("G2", CultureInfo.InvariantCulture)}), same top-1 on {SameTop1}/{Images}"
        + (Agrees() ? "" : $": OVER the {Tolerance:G1} tolerance");
}
