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

    /// <summary>
    /// Opens <paramref name="root"/>, with splits when it has them. Symbolic links are followed once: a link loop, a
    /// second link to a folder or file already listed, or a link into another class's folder is reported as a problem
    /// (see <see cref="DatasetSource.Problems"/>), and each real file is listed once.
    /// </summary>
    public static DatasetSource Open(string root)
    {
        root = Path.GetFullPath(root);
        if (!Directory.Exists(root))
            throw new DatasetException($"{root}: folder not found. Point at a folder with one sub-folder per class (e.g. data/cat/*.jpg, data/dog/*.jpg).");
        string name = Path.GetFileName(root.TrimEnd(Path.DirectorySeparatorChar));
        var listing = new FolderListing(root);
        listing.Enclose(root);
        var splits = HasSplits(root)
            ? new[] { "train", "val", "test" }.Select(s => (Split: s, Folder: FindSplit(root, s))).Where(s => s.Folder is not null).Select(s => (s.Split, Folder: s.Folder!)).ToList()
            : [("", root)];
        foreach (var (_, folder) in splits) listing.Enclose(folder);
        // Every class folder of every split is claimed before any is listed, so a link cannot carry one class's images into another.
        var classFolders = splits.Select(s => ClassFolders(s.Folder).Where(listing.Claim).ToList()).ToList();
        var claimProblems = listing.TakeProblems();

        FileImageDataset Listed(int i, IReadOnlyList<string>? classes) =>
            Scan(listing, root, splits[i].Folder, splits[i].Split == "" ? name : $"{name}/{splits[i].Split}", classFolders[i], classes, i == 0 ? claimProblems : []);
        var train = Listed(0, null);
        if (splits.Count == 1 && splits[0].Split == "") return new DatasetSource(name, "imagefolder", root, train, null, null);
        ImageDataset? Other(string split) => splits.FindIndex(s => s.Split == split) is var i and >= 0 ? Listed(i, train.Classes) : null;
        return new DatasetSource(name, "imagefolder", root, train, Other("val"), Other("test"));
    }

    static string? FindSplit(string root, string split) => SplitFolderNames[split]
        .Select(n => Directory.EnumerateDirectories(root).FirstOrDefault(d => string.Equals(Path.GetFileName(d), n, StringComparison.OrdinalIgnoreCase)))
        .FirstOrDefault(d => d is not null);

    static List<string> ClassFolders(string folder) => Directory.EnumerateDirectories(folder)
        .Where(d => !Path.GetFileName(d).StartsWith('.'))
        .OrderBy(d => Path.GetFileName(d), StringComparer.Ordinal)
        .ToList();

    /// <summary>Lists one split's class folders. With <paramref name="classes"/> given (the train split's), labels follow them.</summary>
    static FileImageDataset Scan(FolderListing listing, string root, string folder, string name, List<string> classFolders, IReadOnlyList<string>? classes, List<DataProblem> problems)
    {
        var warnings = new List<string>();
        problems = [.. problems];
        var filesByClass = new List<(string Class, List<string> Files)>();
        foreach (var dir in classFolders)
        {
            if (listing.Files(dir) is not { } files) continue; // unreadable: a problem that says so, not an empty class
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
        problems.AddRange(listing.TakeProblems());
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

    static bool IsSystemFile(string file) =>
        Path.GetFileName(file) is var n && (n.Equals("Thumbs.db", StringComparison.OrdinalIgnoreCase) || n.Equals("desktop.ini", StringComparison.OrdinalIgnoreCase));
}
