using System.CommandLine;
using System.Globalization;
using NotebookKit.Export;
using NotebookKit.Models;
using NotebookKit.Models.Weights;

namespace NotebookKit.Cli.Commands;

/// <summary>
/// The model <c>predict</c> and <c>features</c> run and how its images are prepared: from a training run's folder
/// (<c>--checkpoint RUN</c>: architecture, image size, preprocessing and class names from <c>RUN/model.json</c>), from a
/// registry entry (its own preprocessing), or from a bare weights file (ImageNet's, or ML.NET's for a mean image: assumed,
/// and said so on every output).
/// </summary>
/// <param name="Model">The model, weights loaded.</param>
/// <param name="Predictor">Runs it on image files.</param>
/// <param name="Preprocessing">How images are prepared, for the output.</param>
/// <param name="Report">What loading did (null for a checkpoint, which must load completely).</param>
/// <param name="HasClassifier">Whether the head is a classifier (false for a feature extractor).</param>
/// <param name="WeightsName">What was loaded, for messages.</param>
sealed record PredictionModel(ResNetModel Model, Predictor Predictor, PreprocessingUsed Preprocessing, LoadReport? Report, bool HasClassifier, string WeightsName) : IDisposable
{
    /// <summary>Loads what the options name: <c>--checkpoint</c>, else <c>--arch</c> and <c>--weights</c>.</summary>
    /// <exception cref="ArgumentException">--checkpoint together with --weights.</exception>
    public static PredictionModel Load(ParseResult parse, ModelOptions options)
    {
        if (parse.GetValue(options.Checkpoint) is { } run)
        {
            if (parse.GetResult(options.Weights) is { Implicit: false })
                throw new ArgumentException($"--checkpoint {run} and --weights {parse.GetValue(options.Weights)} both name weights; give one (--checkpoint reads the run's best weights and its model.json).");
            var arch = parse.GetResult(options.Arch) is { Implicit: false } ? parse.GetValue(options.Arch) : null;
            var loaded = CheckpointModel.Load(run, arch);
            var source = loaded.Card is null
                ? $"assumed for {loaded.WeightsPath} (no {ModelCard.FileName} next to it: class indices stand for names)"
                : $"{ModelCard.FileName} of {run}";
            var used = PreprocessingUsed.Of(loaded.Preprocessing, loaded.ImageSize, source, assumed: loaded.Card is null);
            return new PredictionModel(loaded.Model, new Predictor(loaded.Model, loaded.Preprocessing, loaded.Classes, loaded.ImageSize), used, null, true, loaded.WeightsPath);
        }
        var weights = parse.GetValue(options.Weights)!;
        var pretrained = options.Load(parse);
        bool bare = pretrained.Entry is null && weights is not ("random" or "none" or "scratch");
        var card = bare ? CardNear(weights) : null;
        var preprocessing = PreprocessingUsed.Of(pretrained.Preprocessing, pretrained.Preprocessing.CropSize,
            pretrained.Entry is { } entry ? $"weights registry ({entry.Key})"
            : bare ? $"assumed for the bare weights file {weights}"
                + (card is not null ? $"; {card} is next to it: use --checkpoint {Path.GetDirectoryName(card)} for the run's own image size, preprocessing and class names" : "")
            : "ImageNet default (random weights)",
            assumed: bare);
        bool classifier = !(pretrained.Entry is { Categories: null } || pretrained.Report.SkippedHead);
        return new PredictionModel(pretrained.Model, new Predictor(pretrained), preprocessing, pretrained.Report, classifier, pretrained.WeightsName);
    }

    /// <summary>The model card of the training run a weights file was written into (its folder, or the run of a <c>last/</c>), if any.</summary>
    static string? CardNear(string weights)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(weights))!;
        string?[] places = [folder, Path.GetFileName(folder) == "last" ? Path.GetDirectoryName(folder) : null];
        return places.OfType<string>().Select(f => Path.Combine(f, ModelCard.FileName)).FirstOrDefault(File.Exists);
    }

    /// <summary>Says on standard error which preprocessing is assumed, when it is (a bare weights file): one line, with --json too.</summary>
    public void NoteAssumption()
    {
        if (Preprocessing.Assumed) Console.Error.WriteLine(Term.Plain($"nbkit: note: preprocessing {Preprocessing.Describe()}, {Preprocessing.Source}."));
    }

    /// <inheritdoc/>
    public void Dispose() => Model.Dispose();
}

/// <summary>How images were prepared for a model: what <c>predict</c>, <c>predict --onnx</c> and <c>features</c> print and put in their JSON.</summary>
/// <param name="Source">Where it comes from (the run's model.json, the registry, the ONNX file's metadata, or assumed).</param>
/// <param name="Assumed">Whether it is a guess (a bare weights file says nothing about its preprocessing).</param>
/// <param name="ResizeSize">Shorter side before the centre crop.</param>
/// <param name="ImageSize">The crop: the network's input side.</param>
/// <param name="ChannelOrder">RGB, BGR or GRAY.</param>
/// <param name="Scale">Multiplier of the 0..255 pixel values.</param>
/// <param name="Mean">Subtracted per channel after scaling.</param>
/// <param name="Std">Divided by per channel.</param>
sealed record PreprocessingUsed(string Source, bool Assumed, int ResizeSize, int ImageSize, string ChannelOrder, float Scale, float[] Mean, float[] Std)
{
    /// <summary>The preprocessing the kit's <see cref="Predictor"/> applies for <paramref name="preprocessing"/> at <paramref name="imageSize"/>.</summary>
    public static PreprocessingUsed Of(Preprocessing preprocessing, int imageSize, string source, bool assumed)
    {
        var n = preprocessing.Normalization;
        int resize = imageSize == preprocessing.CropSize ? preprocessing.ResizeSize : (int)Math.Round(imageSize * (double)preprocessing.ResizeSize / preprocessing.CropSize);
        return new(source, assumed, resize, imageSize, n.Order.ToString().ToUpperInvariant(), n.Scale, n.Mean, n.Std);
    }

    /// <summary>The preprocessing an exported model's metadata states.</summary>
    public static PreprocessingUsed Of(OnnxModelMetadata metadata, string path) =>
        new($"metadata of {path}", false, metadata.ResizeSize, metadata.InputSize, metadata.ChannelOrder, metadata.Scale, [.. metadata.Mean], [.. metadata.Std]);

    /// <summary>One line: resize, crop, channels, normalization.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"resize {ResizeSize}, centre crop {ImageSize}, {ChannelOrder} x{Scale:G4}, mean [{Join(Mean)}], std [{Join(Std)}]");

    /// <summary>The JSON object every output entry carries.</summary>
    public object ToJson() => new { source = Source, assumed = Assumed, resize_size = ResizeSize, image_size = ImageSize, channel_order = ChannelOrder, scale = Scale, mean = Mean, std = Std };

    static string Join(IEnumerable<float> values) => string.Join(", ", values.Select(v => v.ToString("G4", CultureInfo.InvariantCulture)));
}
