namespace NotebookKit.Data;

/// <summary>
/// The fastai / torchvision layout: one sub-folder per class (<c>root/cat/1.jpg</c>), optionally under
/// split folders (<c>root/train/cat/1.jpg</c>, <c>root/val/cat/2.jpg</c>). Image extensions match
/// case-insensitively; hidden files, <c>Thumbs.db</c> and other extensions are ignored; an empty class
/// folder is a warning, not a class.
/// </summary>
public static class ImageFolder
{
    /// <summary>Names accepted for each split folder, in order of preference.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> SplitFolderNames = new Dictionary<string, string[]>
    {
        ["train"] = ["train", "training"],
        ["val"] = ["val", "valid", "validation"],
        ["test"] = ["test", "testing"],
    };

    /// <summary>Whether <paramref name="root"/> has split folders (a <c>train/</c> folder).</summary>
    public static bool HasSplits(string root) => FindSplit(root, "train") is not null;

    /// <summary>Opens <paramref name="root"/>, with splits when it has them.</summary>
    public static DatasetSource Open(string root)
    {
        root = Path.GetFullPath(root);
        if (!Directory.Exists(root))
            throw new DatasetException($"{root}: folder not found. Point at a folder with one sub-folder per class (e.g. data/cat/*.jpg, data/dog/*.jpg).");
        string name = Path.GetFileName(root.TrimEnd(Path.DirectorySeparatorChar));
        if (!HasSplits(root)) return new DatasetSource(name, "imagefolder", root, Scan(root, root, name, classes: null), null, null);

        var train = Scan(root, FindSplit(root, "train")!, $"{name}/train", classes: null);
        ImageDataset? Other(string split) =>
            FindSplit(root, split) is { } dir ? Scan(root, dir, $"{name}/{split}", train.Classes) : null;
        return new DatasetSource(name, "imagefolder", root, train, Other("val"), Other("test"));
    }

    static string? FindSplit(string root, string split) => SplitFolderNames[split]
        .Select(n => Directory.EnumerateDirectories(root).FirstOrDefault(d => string.Equals(Path.GetFileName(d), n, StringComparison.OrdinalIgnoreCase)))
        .FirstOrDefault(d => d is not null);

    /// <summary>Lists one split folder. With <paramref name="classes"/> given (the train split's), labels follow them.</summary>
    static FileImageDataset Scan(string root, string folder, string name, IReadOnlyList<string>? classes)
    {
        var warnings = new List<string>();
        var problems = new List<DataProblem>();
        var classFolders = Directory.EnumerateDirectories(folder)
            .Where(d => !Path.GetFileName(d).StartsWith('.'))
            .OrderBy(d => Path.GetFileName(d), StringComparer.Ordinal)
            .ToList();
        var filesByClass = new List<(string Class, List<string> Files)>();
        foreach (var dir in classFolders)
        {
            var files = Directory.EnumerateFiles(dir, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
                .Where(f => !IsHiddenBelow(dir, f))
                .ToList();
            var images = files.Where(ImageFile.IsCandidate).Order(StringComparer.Ordinal).ToList();
            foreach (var other in files.Where(f => !ImageFile.IsCandidate(f) && !IsSystemFile(f)))
                warnings.Add($"{Path.GetRelativePath(root, other)}: ignored (not an image extension)");
            if (images.Count == 0)
            {
                warnings.Add($"{Path.GetRelativePath(root, dir)}: empty class folder, ignored");
                continue;
            }
            filesByClass.Add((Path.GetFileName(dir), images));
        }

        var classList = classes ?? filesByClass.Select(c => c.Class).ToList();
        if (classList.Count == 0)
            throw new DatasetException($"{folder}: no class folders with images. Expected one sub-folder per class (e.g. {Path.Combine(folder, "cat", "1.jpg")}).");
        var index = classList.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        var samples = new List<(string, int)>();
        foreach (var (cls, files) in filesByClass)
        {
            if (!index.TryGetValue(cls, out int label))
            {
                problems.Add(new DataProblem(Path.GetRelativePath(root, Path.Combine(folder, cls)), $"class '{cls}' is not in the training split; its {files.Count} images are skipped"));
                continue;
            }
            samples.AddRange(files.Select(f => (Path.GetRelativePath(root, f), label)));
        }
        foreach (var missing in classList.Where(c => !filesByClass.Any(f => f.Class == c)))
            if (classes is not null) warnings.Add($"{Path.GetRelativePath(root, folder)}: no images of class '{missing}'");
        return new FileImageDataset(name, "imagefolder", root, classList, samples, problems, warnings);
    }

    static bool IsHiddenBelow(string dir, string file) =>
        Path.GetRelativePath(dir, file).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.'));

    static bool IsSystemFile(string file) =>
        Path.GetFileName(file) is var n && (n.Equals("Thumbs.db", StringComparison.OrdinalIgnoreCase) || n.Equals("desktop.ini", StringComparison.OrdinalIgnoreCase));
}
