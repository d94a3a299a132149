using System.Formats.Tar;
using System.IO.Compression;

namespace NotebookKit.Downloads;

/// <summary>
/// Unpacks .zip, .tar, .tar.gz / .tgz archives into a folder atomically: into a temporary sibling first,
/// then renamed, so an interrupted extraction never leaves a folder that looks complete. Entries that would
/// land outside the folder (<c>../</c>, absolute paths, links) are refused.
/// </summary>
public static class ArchiveExtractor
{
    /// <summary>Extracts <paramref name="archive"/> into <paramref name="destination"/> unless it already exists.</summary>
    public static string Extract(string archive, string destination)
    {
        destination = Path.GetFullPath(destination);
        if (Directory.Exists(destination)) return destination;
        var staging = $"{destination}.extracting-{Environment.ProcessId}";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        try
        {
            var name = archive.ToLowerInvariant();
            if (name.EndsWith(".zip")) ExtractZip(archive, staging);
            else if (name.EndsWith(".tar.gz") || name.EndsWith(".tgz")) ExtractTar(new GZipStream(File.OpenRead(archive), CompressionMode.Decompress), archive, staging);
            else if (name.EndsWith(".tar")) ExtractTar(File.OpenRead(archive), archive, staging);
            else throw new DownloadException($"{archive}: unknown archive type (expected .zip, .tar, .tar.gz or .tgz).");
            Directory.Move(staging, destination);
            return destination;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or FormatException)
        {
            throw new DownloadException($"{archive}: corrupt archive ({e.Message}). Delete it and download again.", e);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    static void ExtractZip(string archive, string staging)
    {
        using var zip = ZipFile.OpenRead(archive);
        foreach (var entry in zip.Entries)
        {
            var target = SafeTarget(staging, entry.FullName, archive);
            if (entry.FullName.EndsWith('/')) { Directory.CreateDirectory(target); continue; }
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            entry.ExtractToFile(target, overwrite: false);
        }
    }

    static void ExtractTar(Stream stream, string archive, string staging)
    {
        using (stream)
        using (var reader = new TarReader(stream))
        {
            for (var entry = reader.GetNextEntry(); entry is not null; entry = reader.GetNextEntry())
            {
                var target = SafeTarget(staging, entry.Name, archive);
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        Directory.CreateDirectory(target);
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                        entry.ExtractToFile(target, overwrite: false);
                        break;
                    case TarEntryType.SymbolicLink or TarEntryType.HardLink:
                        throw new DownloadException($"{archive}: refuses to extract the link '{entry.Name}' (links can point outside the dataset folder).");
                    default:
                        break; // pax/global headers and the like carry no files
                }
            }
        }
    }

    static string SafeTarget(string root, string entryName, string archive)
    {
        var target = Path.GetFullPath(Path.Combine(root, entryName));
        if (!target.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) && target != root)
            throw new DownloadException($"{archive}: entry '{entryName}' would be written outside the extraction folder; the archive is refused.");
        return target;
    }
}
