using System.CommandLine;

namespace NotebookKit.Cli.Commands;

/// <summary>--arch / --weights / --image-size, shared by the model commands.</summary>
sealed class ModelOptions
{
    public Option<string> Arch { get; } = new("--arch") { Description = "Architecture: resnet18, resnet34, resnet50, resnet101, resnet152.", DefaultValueFactory = _ => "resnet18" };
    public Option<string> Weights { get; } = new("--weights") { Description = "Weights: a registry name (see `nbkit weights list`: tv-imagenet1k-v1, tv-imagenet1k-v2, mlnet-imagenet), a file (.pth, .safetensors, .dat), or random.", DefaultValueFactory = _ => "mlnet-imagenet" };

    public Option<bool> AllowPartial { get; } = CommonOptions.AllowPartialWeights();

    /// <summary>Adds --arch and --weights, and --allow-partial-weights when the command loads the weights.</summary>
    public void AddTo(Command command, bool loadsWeights = true)
    {
        command.Options.Add(Arch);
        command.Options.Add(Weights);
        if (loadsWeights) command.Options.Add(AllowPartial);
    }

    /// <summary>Loads the weights the options name into their architecture.</summary>
    public NotebookKit.Models.Weights.PretrainedModel Load(ParseResult parse) =>
        NotebookKit.Models.Weights.Pretrained.Load(parse.GetValue(Arch)!, parse.GetValue(Weights)!, allowPartial: parse.GetValue(AllowPartial));
}
