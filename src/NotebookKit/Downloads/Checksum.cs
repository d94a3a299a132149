using System.Security.Cryptography;

namespace NotebookKit.Downloads;

/// <summary>An expected file digest: SHA-256 where the publisher gives one, MD5 where only that is published (torchvision's dataset lists).</summary>
/// <param name="Algorithm"><c>sha256</c> or <c>md5</c>.</param>
/// <param name="Hex">The digest in lower-case hex, or a prefix of it (torchvision weight files carry an 8-character SHA-256 prefix in their names).</param>
public sealed record Checksum(string Algorithm, string Hex)
{
    /// <summary>A full or prefix SHA-256.</summary>
    public static Checksum Sha256(string hex) => new("sha256", hex.ToLowerInvariant());

    /// <summary>An MD5 (as torchvision publishes for its datasets).</summary>
    public static Checksum Md5(string hex) => new("md5", hex.ToLowerInvariant());

    /// <summary>Whether <see cref="Hex"/> is only a prefix of the digest.</summary>
    public bool IsPrefix => Hex.Length < (Algorithm == "md5" ? 32 : 64);

    /// <summary>The SHA-256 of <paramref name="path"/> in lower-case hex.</summary>
    public static string ComputeSha256(string path) => Sha256("").Compute(path);

    /// <summary>Computes this algorithm's digest of <paramref name="path"/>.</summary>
    public string Compute(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(Algorithm switch
        {
            "sha256" => SHA256.HashData(stream),
            "md5" => MD5.HashData(stream),
            _ => throw new NotSupportedException($"Checksum algorithm '{Algorithm}' is not supported; use sha256 or md5."),
        });
    }

    /// <summary>Whether <paramref name="actual"/> (a full digest) matches.</summary>
    public bool Matches(string actual) => actual.StartsWith(Hex, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public override string ToString() => $"{Algorithm}:{Hex}" + (IsPrefix ? "…" : "");
}
