namespace NotebookKit.Data;

/// <summary>Opens any supported dataset from a path: the one call the CLI and notebooks use.</summary>
public static class Datasets
{
    /// <summary>
    /// Opens <paramref name="path"/>: a CSV file (<c>path,label</c>), a folder of IDX files, or an ImageFolder
    /// (with or without train/val splits), or the name of a <see cref="DatasetCatalog"/> entry (downloaded into
    /// the cache the first time). Null or empty opens the embedded default (Fashion-MNIST subset).
    /// </summary>
    public static DatasetSource Open(string? path)
    {
        if (string.IsNullOrWhiteSpace(path) || path == EmbeddedData.Name) return EmbeddedData.FashionMnistSmall();
        if (DatasetCatalog.Find(path) is { } known && !Directory.Exists(path))
            return Open(DatasetCatalog.EnsureAsync(known).GetAwaiter().GetResult());
        var full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            if (full.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            {
                var csv = CsvDataset.Open(full);
                return new DatasetSource(csv.Name, "csv", csv.Root, csv, null, null);
            }
            if (Path.GetFileName(full).Contains("-idx", StringComparison.Ordinal)) return IdxDataset.OpenFolder(Path.GetDirectoryName(full)!);
            throw new DatasetException($"{full}: a single file is not a dataset. Give a folder with one sub-folder per class, a folder of IDX files, or a CSV with 'path,label' columns.");
        }
        if (!Directory.Exists(full))
            throw new DatasetException($"{full}: not found. Give a folder with one sub-folder per class (e.g. photos/cat/1.jpg), a folder of IDX files, or a CSV file.");
        if (Directory.EnumerateFiles(full, "*-images-idx3-ubyte*").Any()) return IdxDataset.OpenFolder(full);
        return ImageFolder.Open(full);
    }
}
