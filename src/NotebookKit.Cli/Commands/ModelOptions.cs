using System.CommandLine;
using NotebookKit.Models;
using NotebookKit.Models.Weights;

namespace NotebookKit.Cli.Commands;

/// <summary>--arch / --weights (and --checkpoint for the commands that run a trained model), shared by the model commands.</summary>
sealed class ModelOptions
{
    /// <summary>Every architecture <c>--arch</c> accepts, from <see cref="ResNetArchitecture.All"/> (never a hand-written list).</summary>
    public static string Architectures => string.Join(", ", ResNetArchitecture.All.Select(a => a.Name));

    /// <summary>Every weights name of the registry, from <see cref="WeightsRegistry.All"/>.</summary>
    public static string WeightsNames => string.Join(", ", WeightsRegistry.All.Select(w => w.Name).Distinct(StringComparer.Ordinal));

    public Option<string> Arch { get; } = new("--arch") { Description = $"Architecture: {Architectures}.", DefaultValueFactory = _ => "resnet18" };
    public Option<string> Weights { get; } = new("--weights") { Description = $"Weights: a registry name (see `nbkit weights list`: {WeightsNames}), a file (.pth, .safetensors, .dat), or random.", DefaultValueFactory = _ => "mlnet-imagenet" };

    /// <summary>A training run to load instead of --weights (for predict and features).</summary>
    public Option<string?> Checkpoint { get; } = new("--checkpoint")
    {
        Description = "A folder written by `nbkit train --out` (its best.safetensors, else last/model.safetensors): its model.json gives the architecture, image size, preprocessing and class names, so the results match `nbkit export` of the same run. Instead of --weights.",
    };

    public Option<bool> AllowPartial { get; } = CommonOptions.AllowPartialWeights();

    /// <summary>Adds --arch and --weights, and --allow-partial-weights when the command loads the weights (and --checkpoint when asked).</summary>
    public void AddTo(Command command, bool loadsWeights = true, bool checkpoint = false)
    {
        command.Options.Add(Arch);
        command.Options.Add(Weights);
        if (checkpoint) command.Options.Add(Checkpoint);
        if (loadsWeights) command.Options.Add(AllowPartial);
    }

    /// <summary>Loads the weights the options name into their architecture.</summary>
    public PretrainedModel Load(ParseResult parse) =>
        Pretrained.Load(parse.GetValue(Arch)!, parse.GetValue(Weights)!, allowPartial: parse.GetValue(AllowPartial));
}
