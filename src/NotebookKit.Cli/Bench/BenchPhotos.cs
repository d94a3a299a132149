using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookKit.Cli.Bench;

/// <summary>
/// A folder of photo-like JPEGs for the data benchmark when the user gives none: two classes, ~500x375,
/// smooth colour fields with texture and edges (so the JPEGs have a realistic size, ~40-70 KB), seeded.
/// </summary>
static class BenchPhotos
{
    public static string Ensure(string folder, int count, int width = 500, int height = 375)
    {
        var marker = Path.Combine(folder, $".complete-{count}-{width}x{height}");
        if (File.Exists(marker)) return folder;
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Parallel.For(0, count, i =>
        {
            var random = new Random(i);
            using var image = new Image<Rgb24>(width, height);
            double fx = random.NextDouble() * 0.05, fy = random.NextDouble() * 0.05, phase = random.NextDouble() * 6;
            int cx = random.Next(width), cy = random.Next(height), r = 40 + random.Next(100);
            image.ProcessPixelRows(rows =>
            {
                var noise = new Random(i * 7919);
                for (int y = 0; y < rows.Height; y++)
                {
                    var row = rows.GetRowSpan(y);
                    for (int x = 0; x < row.Length; x++)
                    {
                        double v = Math.Sin(x * fx + phase) * Math.Cos(y * fy) * 60;
                        bool inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) < r * r;
                        int n = noise.Next(-18, 19);
                        row[x] = new Rgb24(Clamp(120 + v + n + (inside ? 60 : 0)), Clamp(110 - v / 2 + n), Clamp(90 + v / 3 + n - (inside ? 40 : 0)));
                    }
                }
            });
            var path = Path.Combine(folder, i % 2 == 0 ? "class_a" : "class_b", $"photo_{i:D4}.jpg");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            image.SaveAsJpeg(path, new JpegEncoder { Quality = 90 });
        });
        File.WriteAllText(marker, "");
        return folder;
    }

    static byte Clamp(double v) => (byte)Math.Clamp((int)v, 0, 255);
}
