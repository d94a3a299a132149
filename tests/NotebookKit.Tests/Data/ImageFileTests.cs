using NotebookKit.Data;
using NotebookKit.Tests.Support;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookKit.Tests.Data;

/// <summary>Every kind of file a real photo folder holds, good and bad.</summary>
public class ImageFileTests : IDisposable
{
    readonly TempDir temp = new();
    string P(string name) => Path.Combine(temp.Path, name);
    public void Dispose() => temp.Dispose();

    static string Reason(Action load) => Assert.Throws<BadImageException>(load).Reason;

    [Fact]
    public void Good_formats_decode_to_rgb_of_the_right_size()
    {
        foreach (var path in new[] { TestImages.Png(P("a.png")), TestImages.Jpeg(P("b.jpg")), TestImages.Bmp(P("c.bmp")), TestImages.Webp(P("d.webp")), TestImages.Tiff(P("e.tiff")) })
        {
            using var image = ImageFile.Load(path);
            Assert.True(image.Width > 0 && image.Height > 0, path);
        }
        using var png = ImageFile.Load(P("a.png"));
        Assert.Equal((40, 30), (png.Width, png.Height));
        Assert.Equal(new Rgb24(255, 100, 50), png[39, 0]);
    }

    [Fact]
    public void Truncated_jpeg_is_reported_as_cut_short()
    {
        Assert.Contains("truncated JPEG", Reason(() => ImageFile.Load(TestImages.TruncatedJpeg(P("cut.jpg")))));
    }

    [Fact]
    public void Zero_byte_file_is_reported()
    {
        File.WriteAllBytes(P("zero.jpg"), []);
        Assert.Contains("empty file", Reason(() => ImageFile.Load(P("zero.jpg"))));
    }

    [Fact]
    public void Html_and_text_saved_as_images_are_named_as_such()
    {
        Assert.Contains("HTML", Reason(() => ImageFile.Load(TestImages.Text(P("page.jpg"), "<!DOCTYPE html><html><body>404</body></html>"))));
        Assert.Contains("text", Reason(() => ImageFile.Load(TestImages.Text(P("notes.png"), "just some notes\n"))));
    }

    [Fact]
    public void A_decompression_bomb_is_refused_from_its_header()
    {
        var path = TestImages.PngHeaderOnly(P("bomb.png"), 60000, 60000);
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var reason = Reason(() => ImageFile.Load(path));

        Assert.Contains("60000x60000", reason);
        Assert.Contains("decompression bomb", reason);
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 50_000_000, "the pixels must not be allocated");
    }

    [Fact]
    public void The_pixel_limit_is_configurable()
    {
        var path = TestImages.Png(P("big.png"), 200, 100);
        Assert.Contains("limit", Reason(() => ImageFile.Load(path, new ImageLimits(MaxPixels: 10_000))));
        using var ok = ImageFile.Load(path, new ImageLimits(MaxPixels: 20_000));
    }

    [Fact]
    public void Corrupt_png_data_is_reported_not_thrown_raw()
    {
        Assert.Contains("corrupt", Reason(() => ImageFile.Load(TestImages.PngCorruptData(P("corrupt.png")))));
    }

    [Fact]
    public void Sixteen_bit_palette_and_gray_pngs_become_8_bit_rgb()
    {
        using (var image = ImageFile.Load(TestImages.Png16Bit(P("deep.png")))) Assert.Equal(new Rgb24(255, 128, 0), image[0, 0]);
        using (var image = ImageFile.Load(TestImages.PngPalette(P("palette.png")))) Assert.Equal((20, 10), (image.Width, image.Height));
        using (var image = ImageFile.Load(TestImages.PngGray(P("gray.png")))) Assert.Equal(new Rgb24(77, 77, 77), image[5, 5]);
    }

    [Fact]
    public void Transparency_is_composited_over_white()
    {
        using var image = ImageFile.Load(TestImages.PngTransparent(P("alpha.png")));
        var p = image[3, 3];
        Assert.Equal(255, p.R);
        Assert.InRange(p.G, 127, 129);
        Assert.InRange(p.B, 127, 129);
    }

    [Fact]
    public void Animated_gif_gives_its_first_frame()
    {
        using var image = ImageFile.Load(TestImages.AnimatedGif(P("anim.gif")));
        var p = image[8, 8];
        Assert.True(p.R > 200 && p.B < 50, $"expected the red first frame, got {p}");
    }

    [Fact]
    public void Exif_orientation_is_honoured()
    {
        using var image = ImageFile.Load(TestImages.ExifRotatedJpeg(P("rotated.jpg")));
        Assert.Equal((20, 40), (image.Width, image.Height));
        // Rotated 90° clockwise: the original left edge (dark red) is now at the top.
        Assert.True(image[10, 0].R < 40 && image[10, 39].R > 215, $"top {image[10, 0]}, bottom {image[10, 39]}");
    }

    [Fact]
    public void One_pixel_image_loads()
    {
        using var image = ImageFile.Load(TestImages.OnePixel(P("dot.png")));
        Assert.Equal(new Rgb24(10, 20, 30), image[0, 0]);
    }

    [Fact]
    public void Upper_case_extensions_and_non_ascii_names_are_images()
    {
        var path = TestImages.Jpeg(P("Ñandú 日本 PHOTO.JPG"));
        Assert.True(ImageFile.IsCandidate(path));
        using var image = ImageFile.Load(path);
        Assert.False(ImageFile.IsCandidate(P(".DS_Store")));
        Assert.False(ImageFile.IsCandidate(P("Thumbs.db")));
        Assert.False(ImageFile.IsCandidate(P("._hidden.jpg")));
        Assert.False(ImageFile.IsCandidate(P("notes.txt")));
    }

    [Fact]
    public void Missing_file_is_reported()
    {
        Assert.Contains("not found", Reason(() => ImageFile.Load(P("nope.png"))));
    }
}

public class CmykJpegTests
{
    [Fact]
    public void A_cmyk_jpeg_decodes_to_the_colours_pillow_sees()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "images");
        using var expected = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "expected.json")));
        int[] Rgb(string key) => expected.RootElement.GetProperty(key).EnumerateArray().Select(e => e.GetInt32()).ToArray();

        using var image = ImageFile.Load(Path.Combine(folder, "cmyk.jpg"));

        Assert.Equal(expected.RootElement.GetProperty("size").EnumerateArray().Select(e => e.GetInt32()), new[] { image.Width, image.Height });
        foreach (var (x, key) in new[] { (3, "left"), (12, "right") })
        {
            var p = image[x, 6];
            var want = Rgb(key);
            Assert.True(Math.Abs(p.R - want[0]) <= 40 && Math.Abs(p.G - want[1]) <= 40 && Math.Abs(p.B - want[2]) <= 40,
                $"{key}: kit {p}, Pillow ({string.Join(", ", want)})");
        }
    }
}
