using System.Globalization;
using System.Reflection;
using NotebookKit.Data.Transforms;
using NotebookKit.Models;

namespace NotebookKit.Export;

/// <summary>
/// Writes a fine-tuned model for use outside the kit: <c>ModelExport.ToOnnx(model, "model.onnx", options)</c> gives an
/// ONNX file that ONNX Runtime (and ML.NET, Windows ML, …) runs without TorchSharp, with the class names and the
/// preprocessing in its metadata (<see cref="OnnxModelMetadata"/>). Eval mode, batch dimension dynamic (<c>batch</c>).
/// </summary>
public static class ModelExport
{
    /// <summary>
    /// Exports <paramref name="model"/> (any variant the kit makes: new heads, truncated, grayscale, mean-image
    /// preprocessing) to <paramref name="path"/>. The file is written under a temporary name in the same folder and
    /// renamed when complete, so a failure leaves no partial file (and an existing file untouched).
    /// </summary>
    /// <exception cref="ArgumentException">Bad options (class names that do not fit the head, an opset out of range, a folder as the path).</exception>
    /// <exception cref="NotSupportedException">The model holds a module the exporter does not translate (the message names it).</exception>
    /// <exception cref="KitException">The file cannot be written (the message names it and says why).</exception>
    public static OnnxExportResult ToOnnx(ResNetModel model, string path, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new OnnxExportOptions();
        if (Directory.Exists(path)) throw new ArgumentException($"{path} is a folder; give the file to write, e.g. {Path.Combine(path, "model.onnx")}.", nameof(path));
        if (options.Opset is < OnnxModelWriter.MinOpset or > OnnxModelWriter.MaxOpset)
            throw new ArgumentException($"Opset {options.Opset} is not written; choose {OnnxModelWriter.MinOpset} to {OnnxModelWriter.MaxOpset} (default {new OnnxExportOptions().Opset}).", nameof(options));
        var classes = options.Classes ?? Enumerable.Range(0, model.NumClasses).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
        if (classes.Count != model.NumClasses)
            throw new ArgumentException($"{classes.Count} class names for a head with {model.NumClasses} outputs; pass the names the model was trained on (the dataset's Classes), in label order.", nameof(options));
        int size = options.ImageSize ?? options.Preprocessing.CropSize;
        Ranges.ImageSize.Check(size, $"{nameof(OnnxExportOptions)}.{nameof(OnnxExportOptions.ImageSize)}");
        int resize = options.Preprocessing.Eval(size).Steps.OfType<Resize>().Single().ShorterSide;
        var metadata = OnnxModelMetadata.For(classes, size, resize, options.Preprocessing.Interpolation, options.Preprocessing.Normalization,
            model.InputChannels, options.IncludePreprocessing, model.Architecture.Name, model.LastStage);

        var graph = Build(model, metadata);
        Write(path, stream => OnnxModelWriter.Write(stream, graph, options.Opset, metadata.ToProperties(), Version,
            $"{model.Architecture.Description}, to {model.LastStage}, {model.NumClasses} outputs; exported by NotebookKit in eval mode."));
        return new OnnxExportResult(Path.GetFullPath(path), new FileInfo(path).Length, options.Opset, graph.Operators, metadata);
    }

    static OnnxGraphBuilder Build(ResNetModel model, OnnxModelMetadata metadata)
    {
        var graph = new OnnxGraphBuilder(model.Architecture.Name);
        int size = metadata.InputSize;
        var x = metadata.PreprocessingIncluded
            ? PreprocessingGraph.Append(graph, graph.Input(metadata.InputName, OnnxElementType.UInt8, "batch", size, size, 3), metadata)
            : graph.Input(metadata.InputName, OnnxElementType.Float, "batch", model.InputChannels, size, size);
        var logits = graph.Rename(ResNetGraph.Append(graph, model, x, size), OnnxModelMetadata.OutputName);
        graph.Output(logits, OnnxElementType.Float, "batch", model.NumClasses);
        return graph;
    }

    /// <summary>Writes through a temporary file in the target folder, renamed into place only when complete.</summary>
    static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KitException($"{path}: cannot write the ONNX file ({e.Message.TrimEnd('.')}). Choose a path in a folder you can write to.", e);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    static string Version => typeof(ModelExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
