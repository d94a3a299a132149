using System.CommandLine;

namespace NotebookKit.Cli.Commands;

/// <summary>--arch / --weights / --image-size, shared by the model commands.</summary>
sealed class ModelOptions
{
    public Option<string> Arch { get; } = new("--arch") { Description = "Architecture: resnet18, resnet34, resnet50, resnet101, resnet152.", DefaultValueFactory = _ => "resnet18" };
    public Option<string> Weights { get; } = new("--weights") { Description = "Weights: a registry name (see `nbkit weights list`: tv-imagenet1k-v1, tv-imagenet1k-v2, mlnet-imagenet), a file (.pth, .safetensors, .dat), or random.", DefaultValueFactory = _ => "mlnet-imagenet" };

    public void AddTo(Command command)
    {
        command.Options.Add(Arch);
        command.Options.Add(Weights);
    }
}
