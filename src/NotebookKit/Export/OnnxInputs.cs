using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookKit.Export;

/// <summary>
/// Turns decoded images into what an exported model takes, from its metadata alone: the kit's evaluation pipeline
/// (resize the shorter side, centre-crop), then either the cropped bytes (uint8 N x H x W x 3, when the graph normalizes)
/// or the normalized floats (N x C x H x W). The caller's images are not changed or disposed.
/// </summary>
static class OnnxInputs
{
    /// <summary>The network's normalized input: the kit's pipeline for RGB/BGR, luma then the affine map for GRAY.</summary>
    public static float[] Normalized(OnnxModelMetadata metadata, IReadOnlyList<Image<Rgb24>> images)
    {
        var pipeline = metadata.Pipeline;
        int plane = metadata.InputSize * metadata.InputSize, perImage = metadata.Channels * plane;
        var values = new float[images.Count * perImage];
        for (int i = 0; i < images.Count; i++)
        {
            var destination = values.AsSpan(i * perImage, perImage);
            if (metadata.Channels == 3)
            {
                pipeline.Process(images[i].Clone(), new Random(0), destination); // the training pipeline's own numbers
                continue;
            }
            using var cropped = pipeline.Preview(images[i].Clone(), new Random(0));
            var (multiplier, offset) = metadata.Affine[0];
            var w = OnnxModelMetadata.GrayWeights;
            int k = 0;
            foreach (var p in Pixels(cropped)) destination[k++] = (w[0] * p.R + w[1] * p.G + w[2] * p.B) * multiplier + offset;
        }
        return values;
    }

    /// <summary>The centre-cropped images' bytes, N x H x W x 3 RGB (for graphs that include the preprocessing).</summary>
    public static byte[] Cropped(OnnxModelMetadata metadata, IReadOnlyList<Image<Rgb24>> images)
    {
        var pipeline = metadata.Pipeline;
        int perImage = metadata.InputSize * metadata.InputSize * 3;
        var bytes = new byte[images.Count * perImage];
        for (int i = 0; i < images.Count; i++)
        {
            using var cropped = pipeline.Preview(images[i].Clone(), new Random(0));
            cropped.CopyPixelDataTo(bytes.AsSpan(i * perImage, perImage));
        }
        return bytes;
    }

    static Rgb24[] Pixels(Image<Rgb24> image)
    {
        var pixels = new Rgb24[image.Width * image.Height];
        image.CopyPixelDataTo(pixels);
        return pixels;
    }
}
