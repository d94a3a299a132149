using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookKit.Data.Transforms;

/// <summary>
/// Image steps followed by "to tensor + normalize": turns a decoded image into <c>3 x Size x Size</c>
/// floats (CHW). Build one with <see cref="Train"/> or <see cref="Eval"/>, from the weights' own preprocessing.
/// </summary>
/// <param name="Steps">The image steps, in order.</param>
/// <param name="Size">The output side length; the steps must produce Size x Size images.</param>
/// <param name="Normalization">How pixel values become inputs.</param>
public sealed record ImagePipeline(IReadOnlyList<ImageTransform> Steps, int Size, Normalization Normalization)
{
    /// <summary>Whether any step is random (augmentation): then features cannot be cached.</summary>
    public bool IsRandom => Steps.Any(s => s is RandomResizedCrop or HorizontalFlip or ColorJitter);

    /// <summary>
    /// Training pipeline (torchvision's recipe): RandomResizedCrop(size) + horizontal flip, optional colour jitter;
    /// without augmentation, the eval pipeline.
    /// </summary>
    public static ImagePipeline Train(int size, Normalization normalization, bool augment = true, bool colorJitter = false, double minScale = 0.08) =>
        augment
            ? new ImagePipeline([new RandomResizedCrop(size, minScale), new HorizontalFlip(), .. (colorJitter ? new ImageTransform[] { new ColorJitter() } : [])], size, normalization)
            : Eval(size, size, normalization);

    /// <summary>Evaluation pipeline: resize the shorter side to <paramref name="resizeSize"/>, centre-crop <paramref name="cropSize"/>.</summary>
    public static ImagePipeline Eval(int resizeSize, int cropSize, Normalization normalization) =>
        new([new Resize(resizeSize), new CenterCrop(cropSize)], cropSize, normalization);

    /// <summary>Number of floats one image becomes.</summary>
    public int ValuesPerImage => 3 * Size * Size;

    /// <summary>Runs the steps on <paramref name="image"/> (which it may dispose) and writes CHW floats into <paramref name="destination"/>.</summary>
    public void Process(Image<Rgb24> image, Random random, Span<float> destination)
    {
        foreach (var step in Steps) image = step.Apply(image, random);
        try { WriteChw(image, destination); }
        finally { image.Dispose(); }
    }

    /// <summary>Runs the steps and returns the resulting image (for displaying "after" pictures).</summary>
    public Image<Rgb24> Preview(Image<Rgb24> image, Random random)
    {
        foreach (var step in Steps) image = step.Apply(image, random);
        return image;
    }

    // value = lut[channel * 256 + byte]: one multiply-add per channel per byte value, computed once.
    readonly float[] lut = BuildLookup(Normalization);

    static float[] BuildLookup(Normalization normalization)
    {
        var affine = normalization.Affine();
        var table = new float[3 * 256];
        for (int c = 0; c < 3; c++)
            for (int v = 0; v < 256; v++) table[c * 256 + v] = v * affine[c].Multiplier + affine[c].Offset;
        return table;
    }

    void WriteChw(Image<Rgb24> image, Span<float> destination)
    {
        if (image.Width != Size || image.Height != Size)
            throw new InvalidOperationException($"The pipeline's steps produced {image.Width}x{image.Height} images, expected {Size}x{Size}. End the steps with a crop to {Size}.");
        if (destination.Length < ValuesPerImage) throw new ArgumentException($"Destination holds {destination.Length} floats, {ValuesPerImage} needed.", nameof(destination));
        int plane = Size * Size;
        var first = destination[..plane];          // R, or B for BGR networks
        var second = destination.Slice(plane, plane);
        var third = destination.Slice(2 * plane, plane);
        ReadOnlySpan<float> table = lut;
        if (image.DangerousTryGetSinglePixelMemory(out var memory))
            Split(memory.Span, first, second, third, table);
        else
        {
            var pixels = System.Buffers.ArrayPool<Rgb24>.Shared.Rent(plane);
            try
            {
                image.CopyPixelDataTo(pixels.AsSpan(0, plane));
                Split(pixels.AsSpan(0, plane), first, second, third, table);
            }
            finally { System.Buffers.ArrayPool<Rgb24>.Shared.Return(pixels); }
        }
    }

    /// <summary>Pixels to three planes through the lookup table (plane c uses table c), in the network's channel order.</summary>
    void Split(ReadOnlySpan<Rgb24> pixels, Span<float> first, Span<float> second, Span<float> third, ReadOnlySpan<float> table)
    {
        ReadOnlySpan<float> t0 = table[..256], t1 = table.Slice(256, 256), t2 = table.Slice(512, 256);
        if (Normalization.Order == ChannelOrder.Bgr)
            for (int i = 0; i < pixels.Length; i++)
            {
                var p = pixels[i];
                first[i] = t0[p.B];
                second[i] = t1[p.G];
                third[i] = t2[p.R];
            }
        else
            for (int i = 0; i < pixels.Length; i++)
            {
                var p = pixels[i];
                first[i] = t0[p.R];
                second[i] = t1[p.G];
                third[i] = t2[p.B];
            }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{string.Join(" -> ", Steps)} -> tensor {Size}x{Size}, normalize {Normalization}";
}
