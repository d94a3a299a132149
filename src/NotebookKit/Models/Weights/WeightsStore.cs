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
    /// A file already in the cache (downloaded earlier, or put there by hand) is checked against the entry's SHA-256
    /// on use; the result is recorded next to it (<see cref="HashRecord"/>), which spares the hash only for a file larger than
    /// <see cref="HashRecord.AlwaysHashBytes"/> with unchanged size and time, verified within <see cref="HashRecord.MaxAge"/>
    /// (bit rot keeps size and time). An imported file is checked against the hash recorded when it was imported; one
    /// without a record is imported again.
    /// </summary>
    /// <exception cref="WeightsFormatException">The cached file does not match its checksum (it is left in place; the message says what to do).</exception>
    public async Task<string> EnsureAsync(WeightsEntry entry, IProgress<DownloadProgress>? progress = null, CancellationToken cancellation = default)
    {
        var path = PathOf(entry);
        if (File.Exists(path) && CheckCached(entry, path)) return path;
        switch (entry.Source)
        {
            case UrlSource url:
                await downloader.EnsureAsync(url.Url, path, entry.Checksum, null, progress, cancellation).ConfigureAwait(false);
                HashRecord.Compute(path).WriteFor(path);
                return path;
            case PackageSource package:
                var onnx = await PackageFileAsync(package, package.PathInPackage, progress, cancellation).ConfigureAwait(false);
                var actual = entry.Checksum.Compute(onnx);
                if (!entry.Checksum.Matches(actual))
                    throw new DownloadException($"{onnx}: {entry.Checksum.Algorithm} {actual}, expected {entry.Checksum}; the package file is not the one these weights describe. Delete it and restore again.");
                var prep = await PackageFileAsync(package, MlNetImport.PreprocessPath, progress, cancellation).ConfigureAwait(false);
                using (var model = MlNetImport.Import(onnx, prep)) StateDicts.Write(model, path);
                HashRecord.Compute(path).WriteFor(path);
                return path;
            default:
                throw new NotSupportedException($"Unknown weights source {entry.Source.GetType().Name}.");
        }
    }

    /// <summary>
    /// Whether the cached file of <paramref name="entry"/> can be used as it is: true when its record still describes it,
    /// or when hashing it again matches; false for an imported file with no record (import it again).
    /// </summary>
    static bool CheckCached(WeightsEntry entry, string path)
    {
        var record = HashRecord.Read(path);
        var expected = Expected(entry, record);
        if (expected is null) return false;
        if (record is not null && record.Vouches(path) && expected.Matches(record.Sha256)) return true;
        var now = HashRecord.Compute(path);
        if (!expected.Matches(now.Sha256)) throw Mismatch(entry, path, now.Sha256, expected);
        now.WriteFor(path);
        return true;
    }

    /// <summary>The checksum a cached file must have: the registry's for a download, the one recorded at import for an import (null when none was).</summary>
    static Checksum? Expected(WeightsEntry entry, HashRecord? record) => entry.Source is UrlSource
        ? entry.Checksum
        : record is null ? null : Checksum.Sha256(record.Sha256);

    static WeightsFormatException Mismatch(WeightsEntry entry, string path, string actual, Checksum expected) => new(
        $"{path}: SHA-256 {actual[..16]}… does not match {expected} ({entry.Key}"
        + (entry.Source is UrlSource ? $", {entry.Source.Describe()}" : ", as recorded when it was imported")
        + "): the file is corrupt, truncated or not these weights. Delete it and run `nbkit weights fetch "
        + $"--arch {(entry.Architecture == "resnet18-2223" ? "resnet18" : entry.Architecture)} --weights {entry.Name}`"
        + (entry.Source is UrlSource url ? $", or download {url.Url} again and put it there." : " to import it again."));

    /// <summary>
    /// Hashes the cached file of <paramref name="entry"/> again (whatever its record says) and compares: with the
    /// registry's checksum for a download, with the hash recorded at import for an imported file.
    /// </summary>
    public (bool Cached, bool? Valid, string Detail) Verify(WeightsEntry entry)
    {
        var path = PathOf(entry);
        if (!File.Exists(path)) return (false, null, $"not cached ({path})");
        var record = HashRecord.Read(path);
        var expected = Expected(entry, record);
        if (expected is null)
            return (true, null, $"imported from {entry.Source.Describe()} before hashes were recorded: nothing to compare with; its next use imports it again");
        var now = HashRecord.Compute(path);
        if (!expected.Matches(now.Sha256)) return (true, false, Mismatch(entry, path, now.Sha256, expected).Message);
        now.WriteFor(path);
        return (true, true, $"{expected.Algorithm} {now.Sha256[..16]}… matches {expected}" + (entry.Source is UrlSource ? "" : " (recorded at import)"));
    }

    /// <summary>
    /// Hashes again every other weights file of the cache that has a record (files stored by <c>nbkit weights import</c>)
    /// and compares with the record.
    /// </summary>
    public IReadOnlyList<(string Path, bool Valid, string Detail)> VerifyImported()
    {
        if (!Directory.Exists(Folder)) return [];
        var registry = WeightsRegistry.All.Select(PathOf).ToHashSet(StringComparer.Ordinal);
        var rows = new List<(string, bool, string)>();
        foreach (var file in Directory.EnumerateFiles(Folder).Where(f => !registry.Contains(f)).Order(StringComparer.Ordinal))
        {
            if (HashRecord.Read(file) is not { } record) continue;
            var now = HashRecord.Compute(file);
            bool valid = now.Sha256 == record.Sha256;
            rows.Add((file, valid, valid
                ? $"sha256 {now.Sha256[..16]}… matches the hash recorded at import"
                : $"{file}: SHA-256 {now.Sha256[..16]}… does not match the {record.Sha256[..16]}… recorded at import: the file is corrupt or was replaced; import it again"));
            if (valid) now.WriteFor(file);
        }
        return rows;
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
