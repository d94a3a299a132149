using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookKit.Data.Transforms;

/// <summary>
/// One step of an image pipeline. It may change the image in place or return a new one (disposing the
/// old). Random steps draw only from the <see cref="Random"/> they are given, so a seed fixes them.
/// </summary>
public abstract record ImageTransform
{
    /// <summary>Applies the step.</summary>
    public abstract Image<Rgb24> Apply(Image<Rgb24> image, Random random);
}
