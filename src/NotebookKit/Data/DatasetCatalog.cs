using NotebookKit.Downloads;

namespace NotebookKit.Data;

/// <summary>A file of a known dataset: where it is published and how to check it.</summary>
/// <param name="Url">Where it is downloaded from.</param>
/// <param name="Checksum">The publisher's (or torchvision's) digest; null when none is published (then the SHA-256 of the
/// first download is recorded beside the file and reported).</param>
/// <param name="Bytes">Expected size, when known.</param>
public sealed record RemoteFile(Uri Url, Checksum? Checksum = null, long? Bytes = null)
{
    /// <summary>The file name in the cache.</summary>
    public string FileName => Path.GetFileName(Url.AbsolutePath);
}

/// <summary>A dataset the kit can download by name. Data, not code: add an entry to <see cref="DatasetCatalog.All"/>.</summary>
/// <param name="Name">The name users type (<c>nbkit data fetch hymenoptera</c>).</param>
/// <param name="Description">One line: what it is and how big.</param>
/// <param name="Licence">Its licence, as its publisher states it.</param>
/// <param name="Files">The files to download.</param>
/// <param name="Folder">Where, under the archive's extraction folder (or the download folder for plain files), the data starts.</param>
/// <param name="LocalCopies">Folders where an operating-system package may already hold the files (used as they are).</param>
public sealed record KnownDataset(string Name, string Description, string Licence, IReadOnlyList<RemoteFile> Files, string Folder = "", IReadOnlyList<string>? LocalCopies = null);

/// <summary>The named datasets users start from.</summary>
public static class DatasetCatalog
{
    /// <summary>Every known dataset.</summary>
    public static IReadOnlyList<KnownDataset> All { get; } =
    [
        new("hymenoptera", "Ants vs bees photos (PyTorch's transfer learning tutorial): ~245 train + 153 val images, 45 MB", "as distributed by the PyTorch tutorials (a subset of ImageNet)",
            [new(new Uri("https://download.pytorch.org/tutorial/hymenoptera_data.zip"))], Folder: "hymenoptera_data"),
        new("imagenette-160", "Imagenette (fast.ai): 10 easy ImageNet classes, shorter side 160 px, 9,469 train + 3,925 val, 94 MB", "Apache-2.0 (fast.ai); images from ImageNet",
            [new(new Uri("https://s3.amazonaws.com/fast-ai-imageclas/imagenette2-160.tgz"))], Folder: "imagenette2-160"),
        new("fashion-mnist", "Fashion-MNIST (Zalando): 60,000 train + 10,000 test 28x28 grayscale, 10 classes, 30 MB", "MIT",
            [
                // MD5s as published in torchvision's FashionMNIST resources.
                new(new Uri("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/train-images-idx3-ubyte.gz"), Checksum.Md5("8d4fb7e6c68d591d4c3dfef9ec88bf0d")),
                new(new Uri("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/train-labels-idx1-ubyte.gz"), Checksum.Md5("25c81989df183df01b3e8a0aad5dffbe")),
                new(new Uri("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/t10k-images-idx3-ubyte.gz"), Checksum.Md5("bef4ecab320f06d8554ea6380940ec79")),
                new(new Uri("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/t10k-labels-idx1-ubyte.gz"), Checksum.Md5("bb300cfdad3c16e7a12a480ee83cd310")),
            ],
            LocalCopies: ["/usr/share/datasets/fashion-mnist"]),
    ];

    /// <summary>The entry named <paramref name="name"/> (case-insensitive), or null.</summary>
    public static KnownDataset? Find(string name) => All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Whether <paramref name="dataset"/> opens without a download: a local copy (a system package), or an earlier
    /// download in <paramref name="cacheRoot"/> (default <see cref="KitPaths.Datasets"/>) that finished. Notebooks use it
    /// to run a cell only when the data is there.
    /// </summary>
    public static bool IsAvailable(KnownDataset dataset, string? cacheRoot = null)
    {
        if ((dataset.LocalCopies ?? []).Any(local => dataset.Files.All(f => File.Exists(Path.Combine(local, f.FileName))))) return true;
        var folder = Path.Combine(cacheRoot ?? KitPaths.Datasets, dataset.Name);
        return dataset.Files.Any(f => IsArchive(f.FileName))
            ? Directory.Exists(Path.Combine(folder, "extracted", dataset.Folder))
            : dataset.Files.All(f => File.Exists(Path.Combine(folder, "downloads", f.FileName)));
    }

    /// <summary>
    /// The folder holding <paramref name="dataset"/>'s data, downloading and extracting it into
    /// <paramref name="cacheRoot"/> (default <see cref="KitPaths.Datasets"/>) when it is not there yet.
    /// </summary>
    public static async Task<string> EnsureAsync(KnownDataset dataset, string? cacheRoot = null, IProgress<DownloadProgress>? progress = null,
        FileDownloader? downloader = null, CancellationToken cancellation = default)
    {
        foreach (var local in dataset.LocalCopies ?? [])
            if (dataset.Files.All(f => File.Exists(Path.Combine(local, f.FileName)))) return local;

        var folder = Path.Combine(cacheRoot ?? KitPaths.Datasets, dataset.Name);
        downloader ??= new FileDownloader();
        string? dataRoot = null;
        foreach (var file in dataset.Files)
        {
            var path = await downloader.EnsureAsync(file.Url, Path.Combine(folder, "downloads", file.FileName), file.Checksum, file.Bytes, progress, cancellation).ConfigureAwait(false);
            if (file.Checksum is null) RecordFirstDigest(path);
            if (IsArchive(path)) dataRoot = ArchiveExtractor.Extract(path, Path.Combine(folder, "extracted"));
        }
        var root = Path.Combine(dataRoot ?? Path.Combine(folder, "downloads"), dataset.Folder);
        if (!Directory.Exists(root))
            throw new DatasetException($"{dataset.Name}: the download has no '{dataset.Folder}' folder (looked in {Path.GetDirectoryName(root)}); the archive's layout changed. Delete {folder} and report it.");
        return root;
    }

    /// <summary>
    /// With no published checksum, the first download's SHA-256 is written beside it (<c>NAME.sha256</c>);
    /// later fetches of the same file must match it (trust on first use).
    /// </summary>
    static void RecordFirstDigest(string path)
    {
        var record = path + ".sha256";
        var actual = Checksum.ComputeSha256(path);
        if (!File.Exists(record)) { File.WriteAllText(record, actual + "\n"); return; }
        var expected = File.ReadAllText(record).Trim();
        if (!string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
            throw new DownloadException($"{path}: SHA-256 {actual} differs from the {expected} recorded at its first download ({record}). Delete both files to accept the new one.");
    }

    static bool IsArchive(string path) =>
        path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tar", StringComparison.OrdinalIgnoreCase);
}
