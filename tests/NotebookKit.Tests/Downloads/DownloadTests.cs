using System.IO.Compression;
using System.Security.Cryptography;
using NotebookKit.Data;
using NotebookKit.Downloads;
using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Downloads;

/// <summary>The real HTTP code against a loopback server serving a small archive.</summary>
public class DownloadTests : IDisposable
{
    readonly TempDir temp = new();
    readonly LoopbackServer server = new();
    public void Dispose() { server.Dispose(); temp.Dispose(); }

    /// <summary>A zip holding an ImageFolder with train/val splits under "toy_data/".</summary>
    byte[] ToyArchive()
    {
        var source = Path.Combine(temp.Path, "source", "toy_data");
        foreach (var split in new[] { "train", "val" })
            foreach (var cls in new[] { "ants", "bees" })
                for (int i = 0; i < 3; i++) TestImages.Jpeg(Path.Combine(source, split, cls, $"{i}.jpg"), 60, 40, green: (byte)(cls == "ants" ? 30 : 200));
        var zip = Path.Combine(temp.Path, "toy.zip");
        ZipFile.CreateFromDirectory(Path.GetDirectoryName(source)!, zip);
        return File.ReadAllBytes(zip);
    }

    static Checksum Sha(byte[] content) => Checksum.Sha256(Convert.ToHexStringLower(SHA256.HashData(content)));

    [Fact]
    public async Task A_named_dataset_downloads_verifies_extracts_and_opens()
    {
        var archive = ToyArchive();
        var toy = new KnownDataset("toy", "test", "MIT", [new RemoteFile(server.Serve("toy.zip", archive), Sha(archive), archive.Length)], Folder: "toy_data");
        var reports = new List<DownloadProgress>();
        Assert.False(DatasetCatalog.IsAvailable(toy, Path.Combine(temp.Path, "cache"))); // not yet: a notebook would skip its cell

        var folder = await DatasetCatalog.EnsureAsync(toy, Path.Combine(temp.Path, "cache"), new SyncProgress<DownloadProgress>(reports.Add));
        var source = Datasets.Open(folder);
        Assert.True(DatasetCatalog.IsAvailable(toy, Path.Combine(temp.Path, "cache")));

        Assert.Equal(["ants", "bees"], source.Classes);
        Assert.Equal(6, source.Train.Count);
        Assert.Equal(6, source.Validation!.Count);
        Assert.Equal(archive.Length, reports[^1].Received);
        Assert.Equal(archive.Length, reports[^1].Total);
        Assert.False(File.Exists(Path.Combine(temp.Path, "cache", "toy", "downloads", "toy.zip.partial")));

        // A second call finds everything in place and touches the network no more.
        int requests = server.Ranges.Count;
        Assert.Equal(folder, await DatasetCatalog.EnsureAsync(toy, Path.Combine(temp.Path, "cache")));
        Assert.Equal(requests, server.Ranges.Count);
    }

    [Fact]
    public async Task A_checksum_mismatch_keeps_nothing_and_says_what_was_expected()
    {
        var archive = ToyArchive();
        var wrong = Checksum.Sha256(new string('0', 64));
        var toy = new KnownDataset("toy", "test", "MIT", [new RemoteFile(server.Serve("toy.zip", archive), wrong)], Folder: "toy_data");
        var cache = Path.Combine(temp.Path, "cache");

        var e = await Assert.ThrowsAsync<DownloadException>(() => DatasetCatalog.EnsureAsync(toy, cache));

        Assert.Contains("checksum mismatch", e.Message);
        Assert.Contains(wrong.Hex, e.Message);
        Assert.Contains(Sha(archive).Hex, e.Message);
        Assert.Empty(Directory.EnumerateFiles(cache, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_truncated_transfer_fails_clearly_then_resumes_where_it_stopped()
    {
        var content = new byte[300_000];
        new Random(3).NextBytes(content);
        var url = server.Serve("weights.bin", content);
        server.TruncateAfter["weights.bin"] = 120_000;
        var destination = Path.Combine(temp.Path, "weights.bin");
        var downloader = new FileDownloader();

        var e = await Assert.ThrowsAsync<DownloadException>(() => downloader.EnsureAsync(url, destination, Sha(content)));

        Assert.Contains("Run again to resume", e.Message);
        Assert.False(File.Exists(destination), "a truncated download must never look complete");
        Assert.Equal(120_000, new FileInfo(destination + ".partial").Length);

        server.TruncateAfter.Clear();
        await downloader.EnsureAsync(url, destination, Sha(content));

        Assert.Equal(content, File.ReadAllBytes(destination));
        Assert.Equal("bytes=120000-", server.Ranges.Last());
        Assert.False(File.Exists(destination + ".partial"));
    }

    [Fact]
    public async Task Offline_or_missing_says_where_to_put_the_file()
    {
        var destination = Path.Combine(temp.Path, "x.bin");
        var missing = await Assert.ThrowsAsync<DownloadException>(() => new FileDownloader().EnsureAsync(new Uri(server.BaseAddress, "nothing.bin"), destination));
        Assert.Contains("404", missing.Message);
        Assert.Contains(destination, missing.Message);

        var offline = await Assert.ThrowsAsync<DownloadException>(() => new FileDownloader().EnsureAsync(new Uri("http://127.0.0.1:1/x.bin"), destination));
        Assert.Contains("cannot reach", offline.Message);
        Assert.Contains(destination, offline.Message);
    }

    [Fact]
    public async Task Without_a_published_checksum_the_first_digest_is_recorded_and_enforced()
    {
        var archive = ToyArchive();
        var url = server.Serve("toy.zip", archive);
        var toy = new KnownDataset("toy", "test", "MIT", [new RemoteFile(url)], Folder: "toy_data");
        var cache = Path.Combine(temp.Path, "cache");

        await DatasetCatalog.EnsureAsync(toy, cache);
        var record = Path.Combine(cache, "toy", "downloads", "toy.zip.sha256");
        Assert.Equal(Sha(archive).Hex, File.ReadAllText(record).Trim());

        File.WriteAllText(record, new string('a', 64));
        var e = await Assert.ThrowsAsync<DownloadException>(() => DatasetCatalog.EnsureAsync(toy, cache));
        Assert.Contains("recorded at its first download", e.Message);
    }

    [Fact]
    public void An_archive_entry_escaping_the_folder_is_refused()
    {
        var zip = Path.Combine(temp.Path, "evil.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        using (var writer = new StreamWriter(archive.CreateEntry("../outside.txt").Open()))
            writer.Write("x");

        var e = Assert.Throws<DownloadException>(() => ArchiveExtractor.Extract(zip, Path.Combine(temp.Path, "out")));

        Assert.Contains("outside the extraction folder", e.Message);
        Assert.False(File.Exists(Path.Combine(temp.Path, "outside.txt")));
        Assert.False(Directory.Exists(Path.Combine(temp.Path, "out")));
    }

    [Fact]
    public void A_corrupt_archive_is_reported_and_leaves_no_folder()
    {
        var bad = Path.Combine(temp.Path, "bad.tgz");
        File.WriteAllBytes(bad, [0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7]);

        var e = Assert.Throws<DownloadException>(() => ArchiveExtractor.Extract(bad, Path.Combine(temp.Path, "out")));

        Assert.Contains("corrupt archive", e.Message);
        Assert.False(Directory.Exists(Path.Combine(temp.Path, "out")));
    }

    sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
