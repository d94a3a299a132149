namespace NotebookKit.Models.Weights;

/// <summary>The 1,000 ImageNet-1K class names in torchvision's order (embedded; from torchvision's _IMAGENET_CATEGORIES).</summary>
public static class ImageNetCategories
{
    static readonly Lazy<IReadOnlyList<string>> names = new(() =>
    {
        using var stream = typeof(ImageNetCategories).Assembly.GetManifestResourceStream("NotebookKit.Models.imagenet-categories.txt")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    });

    /// <summary>The names, index = class.</summary>
    public static IReadOnlyList<string> All => names.Value;
}
