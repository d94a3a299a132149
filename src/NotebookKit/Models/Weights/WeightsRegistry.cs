using NotebookKit.Data.Transforms;
using NotebookKit.Downloads;

namespace NotebookKit.Models.Weights;

/// <summary>Every named set of weights the kit knows. To add one, add an entry: no code changes.</summary>
public static class WeightsRegistry
{
    const string Zoo = "https://download.pytorch.org/models/";
    static readonly Preprocessing V1 = new(256, 224, "bilinear", Normalization.ImageNet);
    static readonly Preprocessing V2 = new(232, 224, "bilinear", Normalization.ImageNet);
    const string V1Recipe = "torchvision IMAGENET1K_V1: the original recipe (He et al.); acc@1 from torchvision's documentation";
    const string V2Recipe = "torchvision IMAGENET1K_V2: the 2021 'new training recipe'; acc@1 from torchvision's documentation (eval resize 232)";

    static WeightsEntry Tv(string arch, string version, string file, double top1) => new(
        version == "v1" ? "tv-imagenet1k-v1" : "tv-imagenet1k-v2", arch, new UrlSource(new Uri(Zoo + file)),
        // torchvision names its files <arch>-<first 8 hex digits of the SHA-256>.pth
        Checksum.Sha256(file[(file.LastIndexOf('-') + 1)..file.IndexOf('.')]),
        ImageNetCategories.All, top1, version == "v1" ? V1 : V2, version == "v1" ? V1Recipe : V2Recipe);

    /// <summary>ML.NET's ImageNet ResNet18 ([2,2,2,3]) from its NuGet package: real pretrained features with no internet.</summary>
    public static WeightsEntry MlNetImageNet { get; } = new(
        "mlnet-imagenet", "resnet18-2223",
        new PackageSource("Microsoft.ML.DnnImageFeaturizer.ResNet18", "0.23.1", "tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx", "onnx"),
        Checksum.Sha256("e2552f19db2dfdb01b3669537b6a0f1b44da38d18279535492ed5dfc2ef1ff8f"), // of ResNet18.onnx
        Categories: null, Top1: null,
        // Its own convention, BGR 0..255 minus a per-pixel mean image, lives inside the imported model
        // (a "preprocess" module); the image pipeline only delivers BGR values in 0..255.
        new Preprocessing(256, 224, "bilinear", new Normalization([0f, 0f, 0f], [1f, 1f, 1f], ChannelOrder.Bgr, Scale: 1f)),
        "ML.NET DnnImageFeaturizer ResNet18 (CNTK 2.6 export, ImageNet); a backbone without classifier");

    /// <summary>Every entry.</summary>
    public static IReadOnlyList<WeightsEntry> All { get; } =
    [
        Tv("resnet18", "v1", "resnet18-f37072fd.pth", 69.758),
        Tv("resnet34", "v1", "resnet34-b627a593.pth", 73.314),
        Tv("resnet50", "v1", "resnet50-0676ba61.pth", 76.130),
        Tv("resnet50", "v2", "resnet50-11ad3fa6.pth", 80.858),
        Tv("resnet101", "v1", "resnet101-63fe2227.pth", 77.374),
        Tv("resnet101", "v2", "resnet101-cd907fc2.pth", 81.886),
        Tv("resnet152", "v1", "resnet152-394f9c45.pth", 78.312),
        Tv("resnet152", "v2", "resnet152-f82ba261.pth", 82.284),
        MlNetImageNet,
    ];

    /// <summary>
    /// The entry for <paramref name="architecture"/> and <paramref name="name"/>. <c>mlnet-imagenet</c> is accepted with
    /// <c>resnet18</c> (its weights need the [2,2,2,3] variant, which is used).
    /// </summary>
    /// <exception cref="ArgumentException">Unknown combination; the message lists what exists for that architecture.</exception>
    public static WeightsEntry Find(string architecture, string name)
    {
        ResNetArchitecture.Find(architecture); // an unknown architecture is the first thing to say
        if (string.Equals(name, MlNetImageNet.Name, StringComparison.OrdinalIgnoreCase) && architecture is "resnet18" or "resnet18-2223") return MlNetImageNet;
        return All.FirstOrDefault(w => string.Equals(w.Architecture, architecture, StringComparison.OrdinalIgnoreCase) && string.Equals(w.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"No weights '{name}' for --arch {architecture}. Known for {architecture}: "
                + $"{string.Join(", ", All.Where(w => w.Architecture == architecture).Select(w => w.Name).DefaultIfEmpty("none"))}"
                + (architecture == "resnet18" ? ", mlnet-imagenet" : "") + ". Or give a file path (.pth, .safetensors, .dat).", nameof(name));
    }
}
