using NotebookKit.Data.Transforms;
using NotebookKit.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookKit.Tests.Data;

public class TransformTests
{
    [Fact]
    public void Resize_sets_the_shorter_side_and_rounds_the_longer_down_like_torchvision()
    {
        using var image = new Resize(256).Apply(TestImages.Gradient(500, 375), new Random(0));
        Assert.Equal((341, 256), (image.Width, image.Height)); // int(500 * 256 / 375) = 341
    }

    [Fact]
    public void An_image_already_at_the_resize_size_is_not_resampled()
    {
        using var original = TestImages.Gradient(300, 256);
        using var copy = original.Clone();

        using var result = new Resize(256).Apply(copy, new Random(0));

        for (int x = 0; x < 300; x += 7) Assert.Equal(original[x, 100], result[x, 100]);
    }

    [Fact]
    public void Center_crop_takes_the_middle_with_torchvision_rounding()
    {
        using var result = new CenterCrop(4).Apply(TestImages.Gradient(11, 7), new Random(0));
        Assert.Equal((4, 4), (result.Width, result.Height));
        // left = round((11 - 4) / 2) = round(3.5) = 4 (banker's rounding, as Python's round)
        using var source = TestImages.Gradient(11, 7);
        Assert.Equal(source[4, 2], result[0, 0]);
    }

    [Fact]
    public void Random_resized_crop_stays_inside_the_image_and_repeats_for_a_seed()
    {
        var crop = new RandomResizedCrop(224);
        for (int seed = 0; seed < 200; seed++)
        {
            var r = crop.Region(500, 375, new Random(seed));
            Assert.True(r.X >= 0 && r.Y >= 0 && r.Right <= 500 && r.Bottom <= 375, r.ToString());
            double area = (double)r.Width * r.Height / (500 * 375);
            Assert.InRange(area, 0.07, 1.0);
            Assert.Equal(r, crop.Region(500, 375, new Random(seed)));
        }
    }

    [Fact]
    public void Normalize_matches_the_formula_per_channel()
    {
        var pipeline = new ImagePipeline([], 2, Normalization.ImageNet);
        using var image = new Image<Rgb24>(2, 2, new Rgb24(255, 128, 0));
        var values = new float[pipeline.ValuesPerImage];

        pipeline.Process(image.Clone(), new Random(0), values);

        Assert.Equal((1f - 0.485f) / 0.229f, values[0], 5);
        Assert.Equal((128 / 255f - 0.456f) / 0.224f, values[4], 5);
        Assert.Equal((0f - 0.406f) / 0.225f, values[8], 5);
    }

    [Fact]
    public void Bgr_order_puts_blue_first_with_the_first_channel_statistics()
    {
        var bgr = new Normalization([10f, 20f, 30f], [1f, 1f, 1f], ChannelOrder.Bgr, Scale: 1f);
        var pipeline = new ImagePipeline([], 1, bgr);
        using var image = new Image<Rgb24>(1, 1, new Rgb24(200, 100, 50));
        var values = new float[3];

        pipeline.Process(image.Clone(), new Random(0), values);

        Assert.Equal([50f - 10f, 100f - 20f, 200f - 30f], values);
    }

    [Fact]
    public void A_pipeline_that_does_not_end_at_its_size_says_how_to_fix_it()
    {
        var pipeline = new ImagePipeline([new Resize(10)], 8, Normalization.None);
        var e = Assert.Throws<InvalidOperationException>(() => pipeline.Process(TestImages.Gradient(20, 10), new Random(0), new float[3 * 64]));
        Assert.Contains("End the steps with a crop to 8", e.Message);
    }
}
