using Microsoft.ML.OnnxRuntime;
using NotebookKit.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookKit.Export;

/// <summary>
/// Runs a model exported by <see cref="ModelExport.ToOnnx"/> with ONNX Runtime, no TorchSharp: images are decoded with
/// <see cref="ImageFile.Load"/> and prepared as the file's metadata says (<see cref="OnnxModelMetadata"/>).
/// <c>using var predictor = new OnnxPredictor("model.onnx"); predictor.Predict(["cat.jpg"])</c>.
/// </summary>
public sealed class OnnxPredictor : IDisposable
{
    readonly InferenceSession session;

    /// <summary>The model file.</summary>
    public string ModelPath { get; }

    /// <summary>How to feed the model, read from its metadata.</summary>
    public OnnxModelMetadata Metadata { get; }

    /// <summary>Loads <paramref name="path"/> into an ONNX Runtime session (CPU, ONNX Runtime's default options unless given).</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not an ONNX model, or one without the kit's metadata; the message names the file.</exception>
    public OnnxPredictor(string path, SessionOptions? options = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such ONNX file; write one with `nbkit export --checkpoint DIR --out {path}`.", path);
        ModelPath = path;
        try { session = options is null ? new InferenceSession(path) : new InferenceSession(path, options); }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"{path}: ONNX Runtime cannot load it ({e.Message.Split('\n')[0].TrimEnd('.')}); is it an .onnx file written by `nbkit export`?", e);
        }
        try { Metadata = OnnxModelMetadata.FromProperties(session.ModelMetadata.CustomMetadataMap, path); }
        catch { session.Dispose(); throw; }
    }

    /// <summary>The logits of each image, run as one batch.</summary>
    public float[][] Logits(IReadOnlyList<Image<Rgb24>> images)
    {
        if (images.Count == 0) return [];
        int size = Metadata.InputSize, n = images.Count;
        using var input = Metadata.PreprocessingIncluded
            ? OrtValue.CreateTensorValueFromMemory(OnnxInputs.Cropped(Metadata, images), [n, size, size, 3])
            : OrtValue.CreateTensorValueFromMemory(OnnxInputs.Normalized(Metadata, images), [n, Metadata.Channels, size, size]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [Metadata.InputName], [input], [OnnxModelMetadata.OutputName]);
        var logits = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        int classes = logits.Length / n;
        return Enumerable.Range(0, n).Select(i => logits.AsSpan(i * classes, classes).ToArray()).ToArray();
    }

    /// <summary>Top-<paramref name="top"/> classes of each image file; a file that cannot be used gets its reason instead.</summary>
    public IReadOnlyList<OnnxPrediction> Predict(IEnumerable<string> imagePaths, int top = 5)
    {
        var results = new List<OnnxPrediction>();
        foreach (var path in imagePaths)
        {
            try
            {
                using var image = ImageFile.Load(path);
                var logits = Logits([image])[0];
                if (Models.Predictor.NonFinite(logits) is { } problem) { results.Add(new OnnxPrediction(path, [], null, problem)); continue; }
                results.Add(new OnnxPrediction(path, OnnxPrediction.TopK(logits, top, Metadata.Classes), logits, null));
            }
            catch (BadImageException e) { results.Add(new OnnxPrediction(path, [], null, e.Reason)); }
        }
        return results;
    }

    /// <inheritdoc/>
    public void Dispose() => session.Dispose();
}
