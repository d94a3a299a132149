using System.Globalization;

namespace NotebookKit;

/// <summary>
/// The accepted range of every numeric setting of the kit (training settings, command-line options). The bounds keep out
/// values that cannot work (0 epochs give no result, a batch of 0 images) and values that are surely typos and would
/// only fail late (an image size of 5000 px overflows the input batch after gigabytes of decoding).
/// </summary>
public static class Ranges
{
    /// <summary>Epochs: 1 to 10000. Zero epochs evaluate an untrained model; the upper bound catches typos (and a data-size study never derives more, see <see cref="MinSteps"/>).</summary>
    public static readonly NumberRange Epochs = NumberRange.Integers("epochs per run", 1, 10_000);

    /// <summary>
    /// Input side length: 16 to 1024 px. A ResNet halves its input five times, so at 16 px its last stage sees 1 x 1; at
    /// 1024 px a batch of 32 is 400 MB of input alone and training a ResNet-50 needs about 20 times the activations of 224 px.
    /// </summary>
    public static readonly NumberRange ImageSize = NumberRange.Integers("the input's side in pixels", 16, 1024);

    /// <summary>Images per batch: 1 to 4096 (and one batch's input within <see cref="MaxInputBatchBytes"/>, see <see cref="InputBatch"/>).</summary>
    public static readonly NumberRange BatchSize = NumberRange.Integers("images per batch", 1, 4096);

    /// <summary>Peak learning rate: greater than 0, at most 10.</summary>
    public static readonly NumberRange LearningRate = NumberRange.Above("the head's peak learning rate", 0, 10);

    /// <summary>Backbone learning rate as a fraction of the head's: greater than 0, at most 1 (a frozen backbone is the frozen strategy).</summary>
    public static readonly NumberRange BackboneLrMultiplier = NumberRange.Above("the backbone's learning rate as a fraction of the head's", 0, 1);

    /// <summary>Gradient-norm clipping: a finite number greater than 0.</summary>
    public static readonly NumberRange ClipGradNorm = NumberRange.Above("the largest gradient norm", 0);

    /// <summary>Validation fraction: strictly between 0 and 1.</summary>
    public static readonly NumberRange ValidationFraction = new("the share of images held out for validation", 0, 1, Whole: false, MinExclusive: true, MaxExclusive: true);

    /// <summary>Images per class (training or validation subsets, study sizes): 1 or more.</summary>
    public static readonly NumberRange PerClass = NumberRange.Integers("images per class", 1);

    /// <summary>Seeds: 1 to 100 (every strategy trains once per seed).</summary>
    public static readonly NumberRange Seeds = NumberRange.Integers("seeds, each a full set of runs", 1, 100);

    /// <summary>Decoding threads: 1 to 1024.</summary>
    public static readonly NumberRange Workers = NumberRange.Integers("decoding threads", 1, 1024);

    /// <summary>Classes shown per image: 1 to 1000.</summary>
    public static readonly NumberRange Top = NumberRange.Integers("classes shown per image", 1, 1000);

    /// <summary>A data-size study's minimum optimiser steps: 0 to 10000 (so the epochs it derives stay within <see cref="Epochs"/>).</summary>
    public static readonly NumberRange MinSteps = NumberRange.Integers("optimiser steps at least, at every size", 0, 10_000);

    /// <summary>The most memory one input batch (batch x 3 x side x side floats) may take: 1 GiB.</summary>
    public const long MaxInputBatchBytes = 1L << 30;

    /// <summary>
    /// Null when a batch of <paramref name="batchSize"/> images of side <paramref name="imageSize"/> fits in
    /// <see cref="MaxInputBatchBytes"/>; else the sentence that refuses it, naming the two settings as
    /// <paramref name="batchName"/> and <paramref name="sizeName"/>.
    /// </summary>
    public static string? InputBatch(int batchSize, int imageSize, string batchName, string sizeName)
    {
        long bytes = (long)batchSize * 3 * imageSize * imageSize * sizeof(float);
        return bytes <= MaxInputBatchBytes ? null : string.Create(CultureInfo.InvariantCulture,
            $"{batchName} {batchSize} with {sizeName} {imageSize}: one input batch would be {batchSize} x 3 x {imageSize} x {imageSize} floats ({bytes / (double)(1L << 30):F1} GiB), over the {MaxInputBatchBytes >> 30} GiB the kit allows. Lower {batchName} or {sizeName}.");
    }
}
