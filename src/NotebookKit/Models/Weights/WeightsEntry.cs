using NotebookKit.Downloads;

namespace NotebookKit.Models.Weights;

/// <summary>Where a weights file comes from.</summary>
public abstract record WeightsSource
{
    /// <summary>One line for listings.</summary>
    public abstract string Describe();
}

/// <summary>A file published at a URL (torchvision's model zoo).</summary>
public sealed record UrlSource(Uri Url) : WeightsSource
{
    /// <summary>The file name (torchvision's names carry a SHA-256 prefix: <c>resnet50-11ad3fa6.pth</c>).</summary>
    public string FileName => Path.GetFileName(Url.AbsolutePath);

    /// <inheritdoc/>
    public override string Describe() => Url.ToString();
}

/// <summary>A file inside a NuGet package (restored by the build, or fetched from nuget.org's flat container).</summary>
public sealed record PackageSource(string PackageId, string Version, string PathInPackage, string Format) : WeightsSource
{
    /// <summary>The .nupkg on nuget.org.</summary>
    public Uri PackageUrl => new($"https://api.nuget.org/v3-flatcontainer/{PackageId.ToLowerInvariant()}/{Version}/{PackageId.ToLowerInvariant()}.{Version}.nupkg");

    /// <inheritdoc/>
    public override string Describe() => $"NuGet {PackageId} {Version}: {PathInPackage}";
}

/// <summary>
/// A named set of pretrained weights and everything that goes with it: architecture, source, checksum,
/// categories, reported accuracy, preprocessing. Data, not code (torchvision's Weights, timm's pretrained_cfg).
/// </summary>
/// <param name="Name">The name users type with the architecture: <c>--arch resnet50 --weights tv-imagenet1k-v2</c>.</param>
/// <param name="Architecture">The architecture the weights fit.</param>
/// <param name="Source">Where the file comes from.</param>
/// <param name="Checksum">SHA-256 of the file (full, or the prefix torchvision puts in its file names).</param>
/// <param name="Categories">Class names, in output order (null for a backbone without classifier).</param>
/// <param name="Top1">Reported ImageNet-1K top-1 accuracy (%), as published.</param>
/// <param name="Preprocessing">The input the weights expect.</param>
/// <param name="Recipe">How they were trained / where the figures come from.</param>
public sealed record WeightsEntry(string Name, string Architecture, WeightsSource Source, Checksum Checksum, IReadOnlyList<string>? Categories,
    double? Top1, Preprocessing Preprocessing, string Recipe)
{
    /// <summary>Number of classes of the weights' own head (0 when they have none).</summary>
    public int NumClasses => Categories?.Count ?? 0;

    /// <summary>The key users type: <c>resnet50/tv-imagenet1k-v2</c>.</summary>
    public string Key => $"{Architecture}/{Name}";

    /// <summary>The file name in the weights cache.</summary>
    public string CacheFileName => Source switch
    {
        UrlSource url => url.FileName,
        _ => $"{Architecture}-{Name}.safetensors",
    };
}
