using System.Text.Json;
using NotebookKit.Data;
using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Data;

/// <summary>
/// Issue 30, item 5: a broken file (empty, a decompression bomb's header, cut short, corrupt data) is skipped and
/// reported on every path: the loader's (scratch, full) and the feature cache's (frozen), so `compare` does not stop
/// after training some strategies; and `data inspect` decodes in full by default, so an image whose data is cut short
/// is found there, not mid-run.
/// </summary>
public class BrokenFilesEveryPathTests : IDisposable
{
    readonly TempDir temp = new();
    string P(params string[] parts) => Path.Combine([temp.Path, .. parts]);
    public void Dispose() => temp.Dispose();

    /// <summary>A PNG cut inside its image data: a valid header, no IEND.</summary>
    static string TruncatedPng(string path)
    {
        var bytes = File.ReadAllBytes(TestImages.Png(path, 64, 64));
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        return path;
    }

    void Dataset()
    {
        for (int i = 0; i < 8; i++)
        {
            TestImages.Png(P("data", "a", $"{i}.png"), green: (byte)(10 * i));
            TestImages.Png(P("data", "b", $"{i}.png"), green: (byte)(150 + 10 * i));
        }
        File.WriteAllBytes(P("data", "a", "empty.png"), []);
        TestImages.PngHeaderOnly(P("data", "a", "bomb.png"), 60_000, 60_000);
        TestImages.PngCorruptData(P("data", "b", "corrupt.png"));
        TestImages.TruncatedJpeg(P("data", "b", "cut.jpg"));
        TruncatedPng(P("data", "a", "cut.png"));
    }

    static readonly string[] Broken = ["a/bomb.png", "a/cut.png", "a/empty.png", "b/corrupt.png", "b/cut.jpg"];

    [Fact]
    public void Data_inspect_decodes_in_full_and_finds_an_image_cut_inside_its_data_that_a_header_check_passes()
    {
        Dataset();

        var full = BuildOutputs.RunCliIn(P("home"), ["data", "inspect", P("data"), "--json"], TimeSpan.FromSeconds(60));
        var headers = BuildOutputs.RunCliIn(P("home"), ["data", "inspect", P("data"), "--json", "--headers-only"], TimeSpan.FromSeconds(60));

        Assert.True(full.ExitCode == 0, full.Tail());
        using var fullJson = JsonDocument.Parse(full.StandardOutput);
        Assert.Equal("decoded", fullJson.RootElement.GetProperty("checked").GetString());
        var found = fullJson.RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("path").GetString()!.Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Broken, found);
        Assert.True(headers.ExitCode == 0, headers.Tail());
        using var headerJson = JsonDocument.Parse(headers.StandardOutput);
        Assert.Equal("headers", headerJson.RootElement.GetProperty("checked").GetString());
        var headerFound = headerJson.RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("path").GetString()!.Replace('\\', '/')).ToList();
        Assert.DoesNotContain("a/cut.png", headerFound); // what only a full decode finds: the reason the default decodes
        Assert.Contains("a/empty.png", headerFound);
    }

    [Fact]
    public void Compare_with_frozen_features_cached_and_full_fine_tuning_skips_the_same_broken_files_and_says_so()
    {
        Dataset();

        var result = BuildOutputs.RunCliIn(P("home"), ["compare", "--data", P("data"), "--strategies", "frozen,full", "--seeds", "1", "--epochs", "1",
            "--image-size", "32", "--batch-size", "4", "--out", P("out"), "--json"], TimeSpan.FromMinutes(4));

        Assert.True(result.ExitCode == 0, result.Tail());
        using var json = JsonDocument.Parse(result.StandardOutput);
        var root = json.RootElement;
        Assert.Equal(["frozen", "full"], root.GetProperty("strategies").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        var skipped = root.GetProperty("skipped_files").EnumerateArray().Select(p => p.GetProperty("path").GetString()!.Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Broken, skipped);
        Assert.Contains("5 file(s) could not be decoded and were left out", result.StandardError);
        Assert.DoesNotContain("could not be decoded (", result.StandardError); // the old feature-cache refusal
        // Both strategies were measured on the same (decodable) validation images: they pair image by image.
        var pair = Assert.Single(root.GetProperty("comparisons").EnumerateArray());
        Assert.Equal("full", pair.GetProperty("a").GetString());
    }
}
