using System.CommandLine;
using NotebookKit.Export;
using NotebookKit.Runtime;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Spectre.Console;

namespace NotebookKit.Cli.Commands;

/// <summary><c>nbkit export</c>: a trained checkpoint as an ONNX file, checked against ONNX Runtime before it is reported.</summary>
static class ExportCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A folder written by `nbkit train --out` (its best.safetensors, else last/model.safetensors; model.json gives classes and preprocessing), or a weights file (.safetensors, .pth).", Required = true };
        var arch = new Option<string?>("--arch") { Description = $"Architecture ({ModelOptions.Architectures}). Default: the checkpoint's model.json, else read from the weights' names and shapes. Must fit the weights." };
        var format = new Option<string>("--format") { Description = "Output format (onnx is the one written).", DefaultValueFactory = _ => "onnx" };
        var output = new Option<string>("--out") { Description = "The file to write, e.g. model.onnx (written under a temporary name, then renamed).", Required = true };
        var opset = new Option<int>("--opset") { Description = "ONNX opset, 13 to 21.", DefaultValueFactory = _ => new OnnxExportOptions().Opset }.Within(OnnxExportOptions.Opsets);
        var include = new Option<bool>("--include-preprocessing") { Description = "Bake the normalization into the graph: it then takes uint8 RGB N x H x W x 3 (the resized, centre-cropped image). Default: normalized N x C x H x W floats." };
        var size = new Option<int?>("--image-size") { Description = "Input side length. Default: the training size in model.json, else the weights' crop size (224)." }.Within(Ranges.ImageSize);
        var json = CommonOptions.Json();
        var command = new Command("export", "Write a trained model as ONNX (eval mode, dynamic batch, classes and preprocessing in its metadata) and check it against ONNX Runtime (exit 1 when they disagree).")
            { checkpoint, arch, format, output, opset, include, size, json };
        command.SetAction(parse =>
        {
            if (parse.GetValue(format) is var f && !string.Equals(f, "onnx", StringComparison.OrdinalIgnoreCase))
                throw new KitException($"--format {f} is not written; use --format onnx.");
            TorchRuntime.Require();
            var loaded = CheckpointModel.Load(parse.GetValue(checkpoint)!, parse.GetValue(arch));
            using var model = loaded.Model;
            var written = ModelExport.ToOnnx(model, parse.GetValue(output)!, new OnnxExportOptions
            {
                Classes = loaded.Classes, Preprocessing = loaded.Preprocessing, ImageSize = parse.GetValue(size) ?? loaded.ImageSize,
                Opset = parse.GetValue(opset), IncludePreprocessing = parse.GetValue(include),
            });
            var agreement = Check(model, written);
            if (parse.GetValue(json))
                JsonOutput.Write(new
                {
                    path = written.Path, bytes = written.Bytes, opset = written.Opset, operators = written.Operators, weights = loaded.WeightsPath,
                    metadata = written.Metadata.ToProperties(),
                    check = new { images = agreement.Images, max_relative_difference = agreement.MaxRelativeDifference, max_absolute_difference = agreement.MaxAbsoluteDifference, agrees = agreement.Agrees() },
                });
            else
            {
                AnsiConsole.MarkupLine($"[bold]{Term.Escape(written.Path)}[/] from {Term.Escape(loaded.WeightsPath)}" + (loaded.Classes is null ? " [yellow](no model.json: classes are output indices)[/]" : ""));
                AnsiConsole.MarkupLine(Term.Escape(written.ToString()));
                AnsiConsole.MarkupLine(agreement.Agrees() ? $"[green]check[/]: {Term.Escape(agreement.ToString())}" : $"[red]check failed[/]: {Term.Escape(agreement.ToString())}");
            }
            return agreement.Agrees() ? 0 : 1;
        });
        return command;
    }

    /// <summary>Compares ONNX Runtime with TorchSharp on two seeded random-pixel images (no data needed), larger than the input so the resize and crop run.</summary>
    static OnnxAgreement Check(NotebookKit.Models.ResNetModel model, OnnxExportResult written)
    {
        var random = new Random(0);
        int side = written.Metadata.ResizeSize + 8;
        var images = Enumerable.Range(0, 2).Select(_ =>
        {
            var pixels = new byte[side * side * 3];
            random.NextBytes(pixels);
            return Image.LoadPixelData<Rgb24>(pixels, side, side);
        }).ToList();
        try { return OnnxAgreement.Measure(model, written.Path, images); }
        finally { foreach (var image in images) image.Dispose(); }
    }
}
