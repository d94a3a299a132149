using System.CommandLine;
using NotebookKit.Experiments;
using NotebookKit.Models;
using NotebookKit.Training;

namespace NotebookKit.Cli.Commands;

/// <summary>The options of <c>nbkit train</c>, shared by <c>nbkit compare</c> so one protocol drives both.</summary>
sealed class TrainSettingsOptions
{
    static readonly TrainSettings Defaults = new();

    public Option<string?> Data { get; } = new("--data") { Description = "Dataset: a folder (one sub-folder per class), a CSV, IDX files or a name from `nbkit data list`. Default: the embedded Fashion-MNIST subset." };
    public Option<string> Arch { get; } = new("--arch") { Description = $"Architecture: {ModelOptions.Architectures}.", DefaultValueFactory = _ => Defaults.Arch };
    public Option<string> Weights { get; } = new("--weights") { Description = "Pretrained weights for the pretrained strategies.", DefaultValueFactory = _ => Defaults.Weights };
    public Option<int> Epochs { get; } = new Option<int>("--epochs") { Description = "Epochs (per strategy).", DefaultValueFactory = _ => Defaults.Epochs }.Within(Ranges.Epochs);
    public Option<int> ImageSize { get; } = new Option<int>("--image-size") { Description = "Input side length.", DefaultValueFactory = _ => Defaults.ImageSize }.Within(Ranges.ImageSize);
    public Option<int> BatchSize { get; } = new Option<int>("--batch-size") { Description = "Batch size.", DefaultValueFactory = _ => Defaults.BatchSize }.Within(Ranges.BatchSize);
    public Option<string> Optimizer { get; } = new("--optimizer") { Description = "sgd, adam or adamw.", DefaultValueFactory = _ => "sgd" };
    public Option<double> LearningRate { get; } = new Option<double>("--lr") { Description = "Peak learning rate of the head.", DefaultValueFactory = _ => Defaults.LearningRate }.Within(Ranges.LearningRate);
    public Option<double?> BackboneLrMultiplier { get; } = new Option<double?>("--backbone-lr-mult") { Description = "Backbone learning rate as a fraction of the head's (finetune: at the stem; full, partial). Default: each strategy's own (finetune 0.01, full and partial 0.1)." }.Within(Ranges.BackboneLrMultiplier);
    public Option<string> Schedule { get; } = new("--schedule") { Description = "none, onecycle, cosine or step.", DefaultValueFactory = _ => "onecycle" };
    public Option<bool> Augment { get; } = new("--augment") { Description = "RandomResizedCrop + flip on training images (then frozen features are not cached)." };
    public Option<int> Seed { get; } = new("--seed") { Description = "Seed (split, order, augmentation, new heads).", DefaultValueFactory = _ => Defaults.Seed };
    public Option<int?> TrainPerClass { get; } = new Option<int?>("--train-per-class") { Description = "Use at most this many training images per class." }.Within(Ranges.PerClass);
    public Option<int?> ValidationPerClass { get; } = new Option<int?>("--val-per-class") { Description = "Use at most this many validation images per class." }.Within(Ranges.PerClass);
    public Option<double?> ClipGradNorm { get; } = new Option<double?>("--clip-grad-norm") { Description = "Clip the gradient norm." }.Within(Ranges.ClipGradNorm);
    public Option<bool> AllowPartialWeights { get; } = CommonOptions.AllowPartialWeights();
    public Option<string> BatchNorm { get; } = new("--batchnorm") { Description = "BatchNorm in frozen stages: frozen (default), train-affine, naive.", DefaultValueFactory = _ => "frozen" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Data, Arch, Weights, Epochs, ImageSize, BatchSize, Optimizer, LearningRate, BackboneLrMultiplier, Schedule, Augment, Seed, TrainPerClass, ValidationPerClass, ClipGradNorm, BatchNorm, AllowPartialWeights })
            command.Options.Add(option);
    }

    /// <summary>The settings the options give over <paramref name="baseline"/> (a preset's); refuses a batch that would not fit in memory.</summary>
    public TrainSettings Bind(ParseResult parse, TrainSettings? baseline = null)
    {
        var b = baseline ?? Defaults;
        T Pick<T>(Option<T> option, T fromBaseline) => parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option)! : fromBaseline;
        var settings = b with
        {
            Data = parse.GetValue(Data) ?? b.Data,
            Arch = Pick(Arch, b.Arch),
            Weights = Pick(Weights, b.Weights),
            Epochs = Pick(Epochs, b.Epochs),
            ImageSize = Pick(ImageSize, b.ImageSize),
            BatchSize = Pick(BatchSize, b.BatchSize),
            Optimizer = parse.GetResult(Optimizer) is { Implicit: false } ? ParseEnum<OptimizerKind>(parse.GetValue(Optimizer)!, "--optimizer") : b.Optimizer,
            LearningRate = Pick(LearningRate, b.LearningRate),
            BackboneLrMultiplier = parse.GetValue(BackboneLrMultiplier) ?? b.BackboneLrMultiplier,
            Schedule = parse.GetResult(Schedule) is { Implicit: false } ? ParseEnum<ScheduleKind>(parse.GetValue(Schedule)!, "--schedule") : b.Schedule,
            Augment = parse.GetResult(Augment) is { Implicit: false } ? parse.GetValue(Augment) : b.Augment,
            Seed = Pick(Seed, b.Seed),
            TrainPerClass = parse.GetValue(TrainPerClass) ?? b.TrainPerClass,
            ValidationPerClass = parse.GetValue(ValidationPerClass) ?? b.ValidationPerClass,
            ClipGradNorm = parse.GetValue(ClipGradNorm) ?? b.ClipGradNorm,
            AllowPartialWeights = parse.GetValue(AllowPartialWeights) || b.AllowPartialWeights,
            BatchNorm = parse.GetResult(BatchNorm) is { Implicit: false } ? ParseBatchNorm(parse.GetValue(BatchNorm)!) : b.BatchNorm,
        };
        NumberOptions.CheckInputBatch(settings.BatchSize, settings.ImageSize);
        return settings;
    }

    static T ParseEnum<T>(string value, string option) where T : struct, Enum =>
        Enum.TryParse<T>(value.Replace("onecycle", "OneCycle", StringComparison.OrdinalIgnoreCase), ignoreCase: true, out var result)
            ? result
            : throw new ArgumentException($"{option} {value}: expected one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}.");

    static BatchNormPolicy ParseBatchNorm(string value) => value.ToLowerInvariant() switch
    {
        "frozen" => BatchNormPolicy.FrozenStatistics,
        "train-affine" => BatchNormPolicy.TrainAffine,
        "naive" => BatchNormPolicy.Naive,
        _ => throw new ArgumentException($"--batchnorm {value}: expected frozen, train-affine or naive."),
    };
}
