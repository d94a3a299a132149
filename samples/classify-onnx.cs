// Classifies an image with a model exported by `nbkit export`, using only ONNX Runtime and ImageSharp (no NotebookKit,
// no TorchSharp): what a console, ASP.NET or MAUI app needs. Everything about feeding the model is in its metadata.
//   dotnet run samples/classify-onnx.cs -- model.onnx photo.jpg
#:package Microsoft.ML.OnnxRuntime@1.31.1
#:package SixLabors.ImageSharp@2.1.13

using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

if (args.Length != 2) { Console.Error.WriteLine("usage: dotnet run classify-onnx.cs -- MODEL.onnx IMAGE"); return 2; }
using var session = new InferenceSession(args[0]);
var meta = session.ModelMetadata.CustomMetadataMap;
int Int(string key) => int.Parse(meta[key], CultureInfo.InvariantCulture);
JsonElement.ArrayEnumerator List(string key) => JsonDocument.Parse(meta[key]).RootElement.EnumerateArray(); // JSON arrays
float[] Floats(string key) => [.. List(key).Select(e => e.GetSingle())];
int size = Int("input_size"), resize = Int("resize_size");
string[] classes = [.. List("classes").Select(e => e.GetString()!)];

// The kit's evaluation preprocessing: shorter side to resize_size (bilinear, antialiased), then the centre input_size square.
using var image = Image.Load<Rgb24>(args[1]); // (the kit also composites transparent pixels over white)
image.Mutate(x => x.AutoOrient());
bool portrait = image.Width <= image.Height;
int width = portrait ? resize : (int)((long)image.Width * resize / image.Height), height = portrait ? (int)((long)image.Height * resize / image.Width) : resize;
if (Math.Min(image.Width, image.Height) != resize) image.Mutate(x => x.Resize(width, height, KnownResamplers.Triangle));
image.Mutate(x => x.Crop(new Rectangle((int)Math.Round((image.Width - size) / 2.0), (int)Math.Round((image.Height - size) / 2.0), size, size)));
var pixels = new Rgb24[size * size];
image.CopyPixelDataTo(pixels);

// Either the bytes (the graph normalizes) or value = (byte * scale - mean) / std per channel, in the model's channel order.
OrtValue input;
if (meta["preprocessing_included"] == "true")
    input = OrtValue.CreateTensorValueFromMemory(MemoryMarshal.AsBytes(pixels.AsSpan()).ToArray(), [1, size, size, 3]);
else
{
    string order = meta["channel_order"];
    float scale = float.Parse(meta["scale"], CultureInfo.InvariantCulture);
    float[] mean = Floats("mean"), std = Floats("std"), gray = order == "GRAY" ? Floats("gray_weights") : [];
    var values = new float[mean.Length * size * size];
    for (int i = 0; i < pixels.Length; i++)
    {
        var p = pixels[i];
        float[] channels = order switch { "BGR" => [p.B, p.G, p.R], "GRAY" => [gray[0] * p.R + gray[1] * p.G + gray[2] * p.B], _ => [p.R, p.G, p.B] };
        for (int c = 0; c < channels.Length; c++) values[c * pixels.Length + i] = channels[c] * (scale / std[c]) + -mean[c] / std[c];
    }
    input = OrtValue.CreateTensorValueFromMemory(values, [1, mean.Length, size, size]);
}

using (input)
using (var outputs = session.Run(new RunOptions(), [session.InputNames[0]], [input], ["logits"]))
{
    var logits = outputs[0].GetTensorDataAsSpan<float>().ToArray();
    var exp = logits.Select(l => Math.Exp(l - logits.Max())).ToArray();
    foreach (var (p, i) in exp.Select((e, i) => (e / exp.Sum(), i)).OrderByDescending(t => t.Item1).Take(5))
        Console.WriteLine($"{p.ToString("P1", CultureInfo.InvariantCulture),7}  {classes[i]} ({i})");
}
return 0;
