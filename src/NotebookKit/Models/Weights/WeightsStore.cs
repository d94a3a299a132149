using System.IO.Compression;
using NotebookKit.Downloads;

namespace NotebookKit.Models.Weights;

/// <summary>
/// The weights cache (<see cref="KitPaths.Weights"/>, i.e. <c>~/.cache/notebookkit/weights</c>, or
/// <c>$NBKIT_HOME/weights</c>): downloads with resume and hash check, imports package weights once, verifies.
/// </summary>
public sealed class WeightsStore(string? folder = null, FileDownloader? downloader = null)
{
    readonly FileDownloader downloader = downloader ?? new FileDownloader();

    /// <summary>The cache folder.</summary>
    public string Folder { get; } = folder ?? KitPaths.Weights;

    /// <summary>Where <paramref name="entry"/>'s file lives in the cache (it may not exist yet).</summary>
    public string PathOf(WeightsEntry entry) => Path.Combine(Folder, entry.CacheFileName);

    /// <summary>Whether the entry is in the cache.</summary>
    public bool IsCached(WeightsEntry entry) => File.Exists(PathOf(entry));

    /// <summary>
    /// The cached file for <paramref name="entry"/>, fetching it first when needed: downloaded (resumable, hash-checked)
    /// for a URL, imported from the NuGet package (restored by the build, or downloaded from nuget.org) for a package.
    /// </summary>
    public async Task<string> EnsureAsync(WeightsEntry entry, IProgress<DownloadProgress>? progress = null, CancellationToken cancellation = default)
    {
        var path = PathOf(entry);
        if (File.Exists(path)) return path;
        switch (entry.Source)
        {
            case UrlSource url:
                return await downloader.EnsureAsync(url.Url, path, entry.Checksum, null, progress, cancellation).ConfigureAwait(false);
            case PackageSource package:
                var onnx = await PackageFileAsync(package, package.PathInPackage, progress, cancellation).ConfigureAwait(false);
                var actual = entry.Checksum.Compute(onnx);
                if (!entry.Checksum.Matches(actual))
                    throw new DownloadException($"{onnx}: {entry.Checksum.Algorithm} {actual}, expected {entry.Checksum}; the package file is not the one these weights describe. Delete it and restore again.");
                var prep = await PackageFileAsync(package, MlNetImport.PreprocessPath, progress, cancellation).ConfigureAwait(false);
                using (var model = MlNetImport.Import(onnx, prep)) StateDicts.Write(model, path);
                return path;
            default:
                throw new NotSupportedException($"Unknown weights source {entry.Source.GetType().Name}.");
        }
    }

    /// <summary>Recomputes the checksum of a cached URL download (package imports are checked on import).</summary>
    public (bool Cached, bool? Valid, string Detail) Verify(WeightsEntry entry)
    {
        var path = PathOf(entry);
        if (!File.Exists(path)) return (false, null, $"not cached ({path})");
        if (entry.Source is not UrlSource) return (true, true, $"imported from {entry.Source.Describe()} (checked at import)");
        var actual = entry.Checksum.Compute(path);
        return entry.Checksum.Matches(actual)
            ? (true, true, $"{entry.Checksum.Algorithm} {actual[..16]}… matches {entry.Checksum}")
            : (true, false, $"{entry.Checksum.Algorithm} {actual} does not match {entry.Checksum}: delete {path} and fetch again");
    }

    /// <summary>A file of a NuGet package: from the global packages folder when restored there, else downloaded from nuget.org.</summary>
    async Task<string> PackageFileAsync(PackageSource package, string pathInPackage, IProgress<DownloadProgress>? progress, CancellationToken cancellation)
    {
        var restored = KitPaths.NuGetPackages is { } nuget
            ? Path.Combine(nuget, package.PackageId.ToLowerInvariant(), package.Version, pathInPackage.Replace('/', Path.DirectorySeparatorChar))
            : null;
        if (restored is not null && File.Exists(restored)) return restored;

        var extracted = Path.Combine(Folder, "packages", $"{package.PackageId.ToLowerInvariant()}.{package.Version}", pathInPackage.Replace('/', Path.DirectorySeparatorChar));
        if (File.Exists(extracted)) return extracted;
        var nupkg = await downloader.EnsureAsync(package.PackageUrl, Path.Combine(Folder, "packages", Path.GetFileName(package.PackageUrl.AbsolutePath)), null, null, progress, cancellation).ConfigureAwait(false);
        using var zip = ZipFile.OpenRead(nupkg);
        var entry = zip.GetEntry(pathInPackage) ?? throw new DownloadException($"{nupkg}: no {pathInPackage} in the package.");
        Directory.CreateDirectory(Path.GetDirectoryName(extracted)!);
        entry.ExtractToFile(extracted + ".tmp", overwrite: true);
        File.Move(extracted + ".tmp", extracted, overwrite: true);
        return extracted;
    }
}
