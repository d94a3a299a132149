using System.Text.Json;
using System.Text.Json.Serialization;
using NotebookKit.Data.Transforms;
using NotebookKit.Experiments;
using NotebookKit.Models.Weights;

namespace NotebookKit.Export;

/// <summary>
/// What a checkpoint folder's weights do not say by themselves: the class names, the input size and the
/// preprocessing the model was trained with, and the architecture it was built as. <c>nbkit train --out DIR</c> writes
/// it as <c>DIR/model.json</c> next to <c>best.safetensors</c> and <c>last/</c>; <c>nbkit export</c> reads it.
/// (The head's shape, truncation, grayscale input and mean image are read from the weights themselves.)
/// </summary>
/// <param name="Architecture">The architecture the model was built as (<c>resnet18-2223</c> for the offline weights).</param>
/// <param name="Pretrained">The weights training started from (a registry name, a file, or <c>random</c>).</param>
/// <param name="Classes">Class names in label order.</param>
/// <param name="ImageSize">The input side length used in training and validation.</param>
/// <param name="Preprocessing">The weights' own preprocessing (its resize/crop ratio and normalization).</param>
public sealed record ModelCard(string Architecture, string Pretrained, IReadOnlyList<string> Classes, int ImageSize, Preprocessing Preprocessing)
{
    /// <summary>The card's file name inside a checkpoint folder.</summary>
    public const string FileName = "model.json";

    /// <summary>
    /// The card for a training run of <paramref name="strategy"/> with <paramref name="settings"/> on <paramref name="classes"/>:
    /// the weights the run starts from (random for a strategy that does not use pretrained weights, whatever --weights says)
    /// and their preprocessing as <see cref="Models.Weights.Pretrained.Load"/> picks it, so the card says what training fed the model.
    /// </summary>
    public static ModelCard ForTraining(TrainSettings settings, IReadOnlyList<string> classes, Strategy? strategy = null)
    {
        var architecture = settings.ResolvedArchitecture;
        var weights = strategy is { Pretrained: false } ? "random" : settings.Weights;
        return new ModelCard(architecture, weights, classes, settings.ImageSize, Models.Weights.Pretrained.PreprocessingFor(architecture, weights));
    }

    /// <summary>Writes <c>model.json</c> into <paramref name="directory"/> (created if needed); returns its path.</summary>
    public string Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(Dto.From(this), Json));
        File.Move(temp, path, overwrite: true);
        return path;
    }

    /// <summary>Reads a card written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a model card; the message names it.</exception>
    public static ModelCard Read(string path)
    {
        try
        {
            var dto = JsonSerializer.Deserialize<Dto>(File.ReadAllText(path), Json) ?? throw new JsonException("empty");
            return dto.ToCard(path);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a model card ({e.Message}); `nbkit train --out DIR` writes DIR/{FileName}. Delete it, or pass --arch to export without it.", e);
        }
    }

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    sealed record NormalizationDto(string ChannelOrder, float Scale, float[] Mean, float[] Std);

    sealed record PreprocessingDto(int ResizeSize, int CropSize, string Interpolation, NormalizationDto Normalization);

    sealed record Dto(string Format, string Architecture, string Pretrained, string[] Classes, int ImageSize, PreprocessingDto Preprocessing)
    {
        public const string CurrentFormat = "nbkit-model-card/1";

        public static Dto From(ModelCard card)
        {
            var n = card.Preprocessing.Normalization;
            return new Dto(CurrentFormat, card.Architecture, card.Pretrained, [.. card.Classes], card.ImageSize,
                new PreprocessingDto(card.Preprocessing.ResizeSize, card.Preprocessing.CropSize, card.Preprocessing.Interpolation,
                    new NormalizationDto(n.Order.ToString().ToLowerInvariant(), n.Scale, n.Mean, n.Std)));
        }

        public ModelCard ToCard(string path)
        {
            if (Format != CurrentFormat) throw new JsonException($"format '{Format}', expected '{CurrentFormat}'");
            if (Architecture is null || Classes is null || Preprocessing?.Normalization is null) throw new JsonException("architecture, classes or preprocessing missing");
            var n = Preprocessing.Normalization;
            var order = n.ChannelOrder switch
            {
                "rgb" => ChannelOrder.Rgb,
                "bgr" => ChannelOrder.Bgr,
                _ => throw new JsonException($"channel_order '{n.ChannelOrder}', expected rgb or bgr"),
            };
            if (n.Mean is not { Length: 3 } || n.Std is not { Length: 3 }) throw new JsonException("mean and std need 3 values each");
            return new ModelCard(Architecture, Pretrained ?? "unknown", Classes, ImageSize,
                new Preprocessing(Preprocessing.ResizeSize, Preprocessing.CropSize, Preprocessing.Interpolation, new Normalization(n.Mean, n.Std, order, n.Scale)));
        }
    }
}
