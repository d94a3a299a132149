using System.Text.Json;
using NotebookKit.Downloads;

namespace NotebookKit.Models.Weights;

/// <summary>
/// What a cached weights file was when its SHA-256 was last computed: kept next to it as <c>FILE.verified.json</c>.
/// Size and modification time alone cannot show bit rot (flipped bytes keep both), so a use trusts the record
/// (<see cref="Vouches"/>) only for a file larger than <see cref="AlwaysHashBytes"/> whose record is younger than
/// <see cref="MaxAge"/>; any other file is hashed again on every use (SHA-256 ran at 1.1-1.4 GB/s on this project's
/// 2-core machine: ~90 ms for ResNet-50's 98 MB, less than building the model).
/// </summary>
/// <param name="Sha256">The file's SHA-256 (lower-case hex).</param>
/// <param name="Size">Its size in bytes then.</param>
/// <param name="ModifiedTicks">Its last-write time then (UTC ticks).</param>
/// <param name="VerifiedTicks">When the hash was computed (UTC ticks; 0 in records written before it was kept: then never trusted).</param>
public sealed record HashRecord(string Sha256, long Size, long ModifiedTicks, long VerifiedTicks = 0)
{
    /// <summary>Files up to this size (256 MiB: every weights file of the registry) are hashed again on every use.</summary>
    public const long AlwaysHashBytes = 256L << 20;

    /// <summary>How long a larger file's record is trusted (when its size and time are unchanged) before it is hashed again.</summary>
    public static TimeSpan MaxAge { get; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Whether this record may stand in for hashing <paramref name="file"/> now: its size and time are unchanged, it is
    /// larger than <see cref="AlwaysHashBytes"/>, and the hash is younger than <see cref="MaxAge"/>.
    /// </summary>
    public bool Vouches(string file, DateTime? now = null)
    {
        if (Size <= AlwaysHashBytes || VerifiedTicks <= 0 || VerifiedTicks > DateTime.MaxValue.Ticks || !Describes(file)) return false;
        var age = (now ?? DateTime.UtcNow) - new DateTime(VerifiedTicks, DateTimeKind.Utc);
        return age >= TimeSpan.Zero && age < MaxAge;
    }

    /// <summary>Where the record of <paramref name="file"/> lives.</summary>
    public static string PathFor(string file) => file + ".verified.json";

    /// <summary>The record of <paramref name="file"/>, or null when there is none (or it cannot be read).</summary>
    public static HashRecord? Read(string file)
    {
        try
        {
            var record = JsonSerializer.Deserialize<HashRecord>(File.ReadAllText(PathFor(file)));
            return record is { Sha256.Length: 64 } ? record : null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>Hashes <paramref name="file"/> (its size and time taken first, so a change while hashing shows next time).</summary>
    public static HashRecord Compute(string file)
    {
        var info = new FileInfo(file);
        long size = info.Length, ticks = info.LastWriteTimeUtc.Ticks;
        return new HashRecord(Checksum.ComputeSha256(file), size, ticks, DateTime.UtcNow.Ticks);
    }

    /// <summary>Whether <paramref name="file"/> still has the size and time recorded (then its hash is taken as recorded).</summary>
    public bool Describes(string file)
    {
        var info = new FileInfo(file);
        return info.Exists && info.Length == Size && info.LastWriteTimeUtc.Ticks == ModifiedTicks;
    }

    /// <summary>Writes the record next to <paramref name="file"/> (atomically). A read-only cache only costs a hash next time.</summary>
    public void WriteFor(string file)
    {
        var target = PathFor(file);
        var temp = $"{target}.{Environment.ProcessId}.tmp";
        try
        {
            File.WriteAllText(temp, JsonSerializer.Serialize(this));
            File.Move(temp, target, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temp); } catch (Exception again) when (again is IOException or UnauthorizedAccessException) { }
        }
    }

    /// <summary>
    /// Checks <paramref name="file"/> against its record, when it has one (a file imported into the cache, used by path):
    /// nothing to do when the record <see cref="Vouches"/> for it, else hashes it again.
    /// </summary>
    /// <exception cref="WeightsFormatException">The file changed since its hash was recorded.</exception>
    public static void CheckIfRecorded(string file)
    {
        if (Read(file) is not { } record || record.Vouches(file)) return;
        var now = Compute(file);
        if (now.Sha256 != record.Sha256)
            throw new WeightsFormatException($"{file}: its SHA-256 is {now.Sha256[..16]}…, not the {record.Sha256[..16]}… recorded when it was stored: the file is corrupt or was replaced. Delete it and import or fetch it again.");
        now.WriteFor(file);
    }
}
