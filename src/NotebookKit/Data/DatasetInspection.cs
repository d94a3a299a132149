namespace NotebookKit.Data;

/// <summary>What <c>nbkit data inspect</c> reports: classes with usable counts, image sizes, and every bad file.</summary>
/// <param name="Format">imagefolder, csv or idx.</param>
/// <param name="Root">Where the dataset lives.</param>
/// <param name="Classes">Each class with its number of usable images (all splits).</param>
/// <param name="Splits">Each split with its number of usable images.</param>
/// <param name="ImageSize">Width and height summary of the usable images.</param>
/// <param name="Problems">Files that cannot be used, relative to the root, with the reason.</param>
/// <param name="Warnings">Things worth knowing that are not errors.</param>
/// <param name="HeadersOnly">Whether only headers were checked (faster; an image whose data is cut short or corrupt then passes).</param>
public sealed record DatasetInspection(string Format, string Root, IReadOnlyList<ClassCount> Classes, IReadOnlyList<ClassCount> Splits,
    ImageSizeSummary? ImageSize, IReadOnlyList<DataProblem> Problems, IReadOnlyList<string> Warnings, bool HeadersOnly = false)
{
    /// <summary>What was checked, in words.</summary>
    public string Checked => HeadersOnly ? "headers only (an image whose data is cut short or corrupt passes)" : "every image decoded in full";

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Root} ({Format}): {string.Join(", ", Classes.Select(c => $"{c.Name} {c.Count}"))}; {ImageSize}; {Problems.Count} file(s) skipped; checked: {Checked}"
        + string.Concat(Problems.Select(p => $"\n  {p}")) + string.Concat(Warnings.Select(w => $"\n  warning: {w}"));

    /// <summary>Whether training can run: at least two classes with usable images.</summary>
    public bool Usable => Classes.Count(c => c.Count > 0) >= 2;

    /// <summary>
    /// Checks every sample's file: decodes it in full, as training will (so a truncated or corrupt image is found
    /// here, not mid-run), or with <paramref name="headersOnly"/> only its header, size limits and JPEG end marker.
    /// </summary>
    public static DatasetInspection Of(DatasetSource source, ImageLimits? limits = null, int? workers = null, bool headersOnly = false)
    {
        var counts = new int[source.Classes.Count];
        var problems = new List<DataProblem>(source.Problems);
        var splits = new List<ClassCount>();
        var widths = new List<int>();
        var heights = new List<int>();
        foreach (var (name, data) in source.Splits())
        {
            var results = new (bool Ok, int W, int H, string? Reason)[data.Count];
            if (data is IdxDataset idx)
            {
                Array.Fill(results, (true, idx.ImageSize.Width, idx.ImageSize.Height, null));
            }
            else
            {
                Parallel.For(0, data.Count, new ParallelOptions { MaxDegreeOfParallelism = workers ?? Environment.ProcessorCount }, i =>
                {
                    try
                    {
                        var file = Path.Combine(data.Root, data.PathOf(i));
                        if (headersOnly)
                        {
                            var (w, h) = ImageFile.Check(file, limits);
                            results[i] = (true, w, h, null);
                        }
                        else
                        {
                            using var image = ImageFile.Load(file, limits);
                            results[i] = (true, image.Width, image.Height, null);
                        }
                    }
                    catch (BadImageException e) { results[i] = (false, 0, 0, e.Reason); }
                });
            }
            int usable = 0;
            for (int i = 0; i < results.Length; i++)
            {
                if (!results[i].Ok) { problems.Add(new DataProblem(data.PathOf(i), results[i].Reason!)); continue; }
                usable++;
                counts[data.LabelOf(i)]++;
                widths.Add(results[i].W);
                heights.Add(results[i].H);
            }
            splits.Add(new ClassCount(name, usable));
        }
        return new DatasetInspection(source.Format, source.Root,
            source.Classes.Select((c, i) => new ClassCount(c, counts[i])).ToList(), splits,
            widths.Count == 0 ? null : ImageSizeSummary.Of(widths, heights),
            problems.OrderBy(p => p.Path, StringComparer.Ordinal).ToList(), source.Warnings, headersOnly);
    }
}

/// <summary>A name with a count (a class or a split).</summary>
public sealed record ClassCount(string Name, int Count);

/// <summary>Smallest, median and largest width and height.</summary>
public sealed record ImageSizeSummary(int MinWidth, int MedianWidth, int MaxWidth, int MinHeight, int MedianHeight, int MaxHeight)
{
    internal static ImageSizeSummary Of(List<int> widths, List<int> heights)
    {
        widths.Sort();
        heights.Sort();
        return new(widths[0], widths[widths.Count / 2], widths[^1], heights[0], heights[heights.Count / 2], heights[^1]);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"width {MinWidth}..{MaxWidth} (median {MedianWidth}), height {MinHeight}..{MaxHeight} (median {MedianHeight})";
}
