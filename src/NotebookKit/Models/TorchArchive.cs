using System.IO.Compression;

namespace NotebookKit.Models;

/// <summary>
/// Checks a <c>torch.save</c> zip archive before it is unpickled, so a small file cannot make the reader inflate or
/// allocate gigabytes (a "zip bomb"): the pickle member may hold at most <see cref="MaxPickleBytes"/>, each tensor
/// member must hold the bytes its storage declares (counted while inflating, not taken from the header), and
/// compressed members may not declare more than <see cref="MaxCompressionRatio"/> times their compressed size in
/// all (<c>torch.save</c> stores members uncompressed; real weights barely compress).
/// </summary>
public static class TorchArchive
{
    /// <summary>Largest pickle member read (32 MiB; a ResNet-152 state dict's pickle is about 100 KB).</summary>
    public const long MaxPickleBytes = 32L << 20;

    /// <summary>Largest overall inflation of compressed tensor members, as declared bytes over compressed bytes.</summary>
    public const int MaxCompressionRatio = 32;

    /// <summary>Declared bytes of compressed members that are always accepted, whatever the ratio (64 MiB).</summary>
    public const long CompressedAllowance = 64L << 20;

    /// <summary>
    /// Checks <paramref name="path"/> if it is a zip archive (other files are left to the reader, which refuses them).
    /// Reads at most <see cref="MaxPickleBytes"/> plus the declared tensor bytes of compressed members.
    /// </summary>
    /// <exception cref="WeightsFormatException">The archive is inconsistent or would inflate beyond the limits; the message names the file and member.</exception>
    public static void Check(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> signature = stackalloc byte[4];
        if (file.ReadAtLeast(signature, 4, throwOnEndOfStream: false) < 4 || !signature.SequenceEqual("PK\u0003\u0004"u8)) return;
        file.Position = 0;
        ZipArchive zip;
        try { zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true); }
        catch (InvalidDataException e) { throw Refuse(path, $"its zip directory cannot be read ({e.Message}); the file is truncated or corrupt. Download or save it again"); }
        using (zip)
        {
            // The same members TorchSharp.PyBridge reads: the first *data.pkl, then data/KEY for each storage.
            var pickleEntry = zip.Entries.FirstOrDefault(e => e.Name.EndsWith("data.pkl", StringComparison.Ordinal))
                ?? throw Refuse(path, "no data.pkl member: not a file written by torch.save");
            var pickle = ReadCapped(path, pickleEntry, MaxPickleBytes,
                size => $"its pickle member {pickleEntry.FullName} inflates to {size} (the limit is {Mb(MaxPickleBytes)}; a state dict's pickle is a few hundred KB). It is not a plain state dict, or it is built to exhaust memory");

            IReadOnlyDictionary<string, DeclaredStorage> storages;
            try { storages = PickleScanner.Storages(pickle); }
            catch (FormatException e) { throw Refuse(path, $"{pickleEntry.FullName}: {e.Message}"); }

            long storedBytes = 0, compressedBytes = 0, inflatedBytes = 0;
            var members = new List<(ZipArchiveEntry Entry, DeclaredStorage Storage)>();
            foreach (var storage in storages.Values)
            {
                var entry = zip.Entries.FirstOrDefault(f => f.FullName.EndsWith($"data/{storage.Key}", StringComparison.Ordinal))
                    ?? throw Refuse(path, $"the pickle declares storage '{storage.Key}' but the archive has no data/{storage.Key} member (truncated?)");
                if (entry.Length < storage.Bytes)
                    throw Refuse(path, $"member {entry.FullName} holds {entry.Length:N0} bytes but its storage declares {storage.Bytes:N0} ({storage.Elements:N0} x {storage.StorageType}); the file is truncated or corrupt");
                if (entry.CompressedLength == entry.Length) storedBytes += entry.CompressedLength;
                else
                {
                    compressedBytes += entry.CompressedLength;
                    inflatedBytes = inflatedBytes > long.MaxValue - storage.Bytes ? long.MaxValue : inflatedBytes + storage.Bytes;
                    members.Add((entry, storage));
                }
            }
            if (storedBytes > file.Length)
                throw Refuse(path, $"its members claim {storedBytes:N0} stored bytes in a {file.Length:N0}-byte file; the file is corrupt");
            long allowed = Math.Max(CompressedAllowance, compressedBytes * MaxCompressionRatio);
            if (inflatedBytes > allowed)
                throw Refuse(path, $"its compressed tensor members declare {Mb(inflatedBytes)} from {Mb(compressedBytes)} (more than {MaxCompressionRatio}x; real weights barely compress, and torch.save does not compress). Re-save it with torch.save");
            // Do not trust the headers: inflate each compressed member up to its declared size and count.
            foreach (var (entry, storage) in members)
            {
                long actual = CountCapped(entry, storage.Bytes);
                if (actual < storage.Bytes)
                    throw Refuse(path, $"member {entry.FullName} inflates to {actual:N0} bytes but its storage declares {storage.Bytes:N0}; the file is truncated or corrupt");
            }
        }
    }

    static byte[] ReadCapped(string path, ZipArchiveEntry entry, long cap, Func<string, string> tooBig)
    {
        if (entry.Length > cap) throw Refuse(path, tooBig(Mb(entry.Length)));
        using var input = Open(path, entry);
        using var output = new MemoryStream((int)Math.Min(entry.Length, cap));
        var buffer = new byte[1 << 16];
        for (int read; (read = ReadMember(path, entry, input, buffer)) > 0;)
        {
            if (output.Length + read > cap) throw Refuse(path, tooBig($"more than {Mb(cap)}"));
            output.Write(buffer, 0, read);
        }
        return output.ToArray();
    }

    static long CountCapped(ZipArchiveEntry entry, long cap)
    {
        using var input = entry.Open();
        var buffer = new byte[1 << 16];
        long total = 0;
        try
        {
            for (int read; total < cap && (read = input.Read(buffer, 0, (int)Math.Min(buffer.Length, cap - total))) > 0;) total += read;
        }
        catch (InvalidDataException) { return total; }
        return total;
    }

    static Stream Open(string path, ZipArchiveEntry entry)
    {
        try { return entry.Open(); }
        catch (InvalidDataException e) { throw Refuse(path, $"member {entry.FullName} cannot be read ({e.Message})"); }
    }

    static int ReadMember(string path, ZipArchiveEntry entry, Stream input, byte[] buffer)
    {
        try { return input.Read(buffer, 0, buffer.Length); }
        catch (InvalidDataException e) { throw Refuse(path, $"member {entry.FullName} cannot be inflated ({e.Message}); the file is truncated or corrupt"); }
    }

    static string Mb(long bytes) => bytes >= 1 << 20 ? $"{bytes / (double)(1 << 20):F0} MB" : $"{bytes:N0} bytes";

    static WeightsFormatException Refuse(string path, string why) => new($"{path}: refused: {why}.");
}
