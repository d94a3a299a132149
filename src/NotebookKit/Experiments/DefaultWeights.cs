using NotebookKit.Models.Weights;

namespace NotebookKit.Experiments;

/// <summary>
/// Which network and weights a comparison uses when the user names none: ResNet-50 with torchvision's V2 ImageNet
/// weights when they are cached (or, for a preset that prefers them, can be downloaded); otherwise the offline
/// ImageNet ResNet-18 that every installation has (<c>mlnet-imagenet</c>). The note says which, and why.
/// </summary>
public static class DefaultWeights
{
    /// <summary>The settings with the chosen architecture and weights, and a sentence saying what was chosen.</summary>
    public static (TrainSettings Settings, string Note) Choose(TrainSettings settings, Preset preset, WeightsStore? store = null)
    {
        var resnet50 = WeightsRegistry.Find("resnet50", "tv-imagenet1k-v2");
        store ??= new WeightsStore();
        if (store.IsCached(resnet50))
            return (settings with { Arch = "resnet50", Weights = resnet50.Name }, "Using resnet50 with torchvision's ImageNet weights (tv-imagenet1k-v2, cached).");
        if (preset.PreferResNet50)
        {
            try
            {
                store.EnsureAsync(resnet50).GetAwaiter().GetResult();
                return (settings with { Arch = "resnet50", Weights = resnet50.Name }, "Using resnet50 with torchvision's ImageNet weights (tv-imagenet1k-v2, just downloaded).");
            }
            catch (Downloads.DownloadException e)
            {
                return (settings with { Arch = "resnet18", Weights = "mlnet-imagenet" },
                    $"resnet50's weights could not be fetched ({e.Message.Split('.')[0]}); using resnet18 with the offline ImageNet weights (mlnet-imagenet) instead.");
            }
        }
        return (settings with { Arch = "resnet18", Weights = "mlnet-imagenet" },
            "Using resnet18 with the offline ImageNet weights (mlnet-imagenet): resnet50's torchvision weights are not cached (`nbkit weights fetch --arch resnet50 --weights tv-imagenet1k-v2`, or --preset full, to use them).");
    }
}
