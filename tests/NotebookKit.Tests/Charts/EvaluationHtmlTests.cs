using System.Text.RegularExpressions;
using NotebookKit.Charts;
using NotebookKit.Training;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookKit.Tests.Charts;

public class EvaluationHtmlTests
{
    static Evaluation Sample()
    {
        // rows: true class, columns: predicted. cat: 8 right, 2 called dog; dog: 1 called cat, 4 right; <bird>: none.
        var confusion = new int[,] { { 8, 2, 0 }, { 1, 4, 0 }, { 0, 0, 0 } };
        string[] classes = ["cat", "dog", "<bird>"];
        return new Evaluation(0.5, 12 / 15.0, 1, 3, confusion, classes,
            [new("cat", 8 / 9.0, 0.8, 0.842, 10), new("dog", 4 / 6.0, 0.8, 0.727, 5), new("<bird>", 0, 0, 0, 0)], []) { Count = 15 };
    }

    [Fact]
    public void Confusion_matrix_cells_hold_the_counts_shaded_by_their_share_of_the_row()
    {
        var html = EvaluationHtml.ConfusionMatrix(Sample());

        var cells = Regex.Matches(html, "<td [^>]*background:rgba\\((\\d+),(\\d+),(\\d+),([0-9.]+)\\)[^>]*>([^<]*)</td>").Select(m => (Green: m.Groups[2].Value == "125", Alpha: double.Parse(m.Groups[4].Value, System.Globalization.CultureInfo.InvariantCulture), Text: m.Groups[5].Value)).ToList();
        Assert.Equal(9, cells.Count);
        Assert.Equal(["8", "2", "", "1", "4", "", "", "", ""], cells.Select(c => c.Text));
        Assert.Equal([0.8, 0.2, 0, 0.2, 0.8, 0, 0, 0, 0], cells.Select(c => c.Alpha));
        Assert.Equal([true, false, false, false, true, false, false, false, true], cells.Select(c => c.Green)); // the diagonal is green
        Assert.Contains("true cat, predicted dog: 2 of 10 (20%)", html);
        Assert.Contains("&lt;bird&gt;", html);
        Assert.DoesNotContain("<bird>", html);
    }

    [Fact]
    public void Evaluation_shows_headline_numbers_and_per_class_metrics()
    {
        var html = EvaluationHtml.Render(Sample());

        Assert.Contains("15 images: accuracy 80.00 %", html);
        Assert.Matches("<td>dog</td><td [^>]*>66.7 %</td><td [^>]*>80.0 %</td><td [^>]*>0.727</td><td [^>]*>5</td>", html);
        Assert.DoesNotContain("<script", html);
    }
}

public class ImageGridTests
{
    [Fact]
    public void Grid_embeds_each_image_as_a_png_that_decodes_to_the_same_pixels()
    {
        using var red = new Image<Rgb24>(4, 3, new Rgb24(200, 10, 10));
        using var checker = new Image<Rgba32>(2, 2);
        checker[0, 0] = new Rgba32(0, 0, 255, 255);
        checker[1, 1] = new Rgba32(0, 255, 0, 255);

        var grid = ImageGrid.Of([red, checker], ["red"], size: 8);

        Assert.Equal(2, grid.Count);
        var pngs = Regex.Matches(grid.Html, "data:image/png;base64,([A-Za-z0-9+/=]+)").Select(m => Image.Load<Rgb24>(Convert.FromBase64String(m.Groups[1].Value))).ToList();
        Assert.Equal(2, pngs.Count);
        Assert.Equal((8, 6), (pngs[0].Width, pngs[0].Height)); // the longer side scaled to 8, aspect kept
        Assert.Equal(new Rgb24(200, 10, 10), pngs[0][7, 5]);
        Assert.Equal(new Rgb24(0, 0, 255), pngs[1][0, 0]);   // nearest-neighbour: the pixels stay crisp
        Assert.Equal(new Rgb24(0, 255, 0), pngs[1][7, 7]);
        Assert.Contains(">red<", grid.Html);
        Assert.Contains(">2x2<", grid.Html); // no caption given: the size
        foreach (var png in pngs) png.Dispose();
    }
}
