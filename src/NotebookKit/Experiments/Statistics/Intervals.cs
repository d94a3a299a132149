namespace NotebookKit.Experiments.Statistics;

/// <summary>The intervals and tests the kit's comparisons use, each with its source. Level: 95% unless given.</summary>
public static class Intervals
{
    /// <summary>The standard normal 97.5% quantile (a two-sided 95% interval).</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>
    /// Wilson's score interval for a proportion <paramref name="successes"/>/<paramref name="n"/> (Wilson 1927; what
    /// statsmodels' <c>proportion_confint(method="wilson")</c> computes). Good coverage even at 0 or n successes.
    /// </summary>
    public static Interval Wilson(int successes, int n, double z = Z95)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "A proportion needs at least one trial.");
        if (successes < 0 || successes > n) throw new ArgumentOutOfRangeException(nameof(successes), successes, $"Between 0 and {n}.");
        double p = (double)successes / n, z2 = z * z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = z / (1 + z2 / n) * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new Interval(Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>
    /// The mean of <paramref name="values"/> with Student's t interval (n-1 degrees of freedom). With one value the
    /// interval is undefined: NaN bounds.
    /// </summary>
    public static (double Mean, Interval Interval) TInterval(IReadOnlyList<double> values, double level = 0.95)
    {
        if (values.Count == 0) throw new ArgumentException("No values.", nameof(values));
        double mean = values.Average();
        if (values.Count < 2) return (mean, new Interval(double.NaN, double.NaN));
        double sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        double half = StudentT.Quantile(0.5 + level / 2, values.Count - 1) * sd / Math.Sqrt(values.Count);
        return (mean, new Interval(mean - half, mean + half));
    }

    /// <summary>
    /// The 95% interval of a mean accuracy over seeds, each measured on the same <paramref name="validationImages"/>: with
    /// one seed, Wilson's interval over the images (sampling of the validation set); with several, Student's t interval
    /// over the seeds' accuracies, cut to [0, 1] (over a few seeds that disagree it can reach past 100 %).
    /// </summary>
    public static Interval Accuracy(IReadOnlyList<double> perSeed, int validationImages) => perSeed.Count == 1
        ? Wilson((int)Math.Round(perSeed[0] * validationImages), validationImages)
        : TInterval(perSeed).Interval.ClippedToProportion();

    /// <summary>
    /// Exact McNemar test (two-sided binomial test of <paramref name="onlyA"/> against <paramref name="onlyB"/> with
    /// p = 1/2): the discordant pairs are the images one model gets right and the other wrong. statsmodels'
    /// <c>mcnemar(table, exact=True)</c>.
    /// </summary>
    public static double McNemarExactP(int onlyA, int onlyB)
    {
        if (onlyA < 0 || onlyB < 0) throw new ArgumentOutOfRangeException(nameof(onlyA), "Counts cannot be negative.");
        int n = onlyA + onlyB;
        if (n == 0) return 1;
        int k = Math.Min(onlyA, onlyB);
        double logHalfN = n * Math.Log(0.5), tail = 0;
        for (int i = 0; i <= k; i++) tail += Math.Exp(LogChoose(n, i) + logHalfN);
        return Math.Min(1, 2 * tail);
    }

    /// <summary>
    /// The difference of two accuracies on the same <paramref name="n"/> images, A − B = (onlyA − onlyB)/n, with the
    /// Agresti–Min (2005) interval for matched proportions: the Wald interval after adding 1/2 to each cell of the 2×2
    /// table ("Simple improved confidence intervals for comparing matched proportions", Stat. Med. 24:729-740).
    /// </summary>
    public static (double Difference, Interval Interval) PairedDifference(int onlyA, int onlyB, int n, double z = Z95)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "At least one image.");
        if (onlyA < 0 || onlyB < 0 || onlyA + onlyB > n) throw new ArgumentOutOfRangeException(nameof(onlyA), $"Discordant counts {onlyA} and {onlyB} do not fit {n} images.");
        double m = n + 2, a = (onlyA + 0.5) / m, b = (onlyB + 0.5) / m, d = a - b;
        double half = z * Math.Sqrt(Math.Max(0, (a + b) - d * d) / m);
        return ((double)(onlyA - onlyB) / n, new Interval(Math.Max(-1, d - half), Math.Min(1, d + half)));
    }

    /// <summary>
    /// Paired comparison over seeds: the mean of the per-seed differences with a t interval, and the paired t-test's
    /// two-sided p-value (scipy's <c>ttest_rel</c>). With one pair: NaN interval and p.
    /// </summary>
    public static (double Difference, Interval Interval, double P) PairedT(IReadOnlyList<double> a, IReadOnlyList<double> b, double level = 0.95)
    {
        if (a.Count != b.Count) throw new ArgumentException($"Paired samples need the same length ({a.Count} vs {b.Count}).", nameof(b));
        var d = a.Zip(b, (x, y) => x - y).ToList();
        var (mean, interval) = TInterval(d, level);
        if (d.Count < 2) return (mean, interval, double.NaN);
        double sd = Math.Sqrt(d.Sum(v => (v - mean) * (v - mean)) / (d.Count - 1));
        double p = sd == 0 ? (mean == 0 ? 1 : 0) : StudentT.TwoSidedP(mean / (sd / Math.Sqrt(d.Count)), d.Count - 1);
        return (mean, interval, p);
    }

    static double LogChoose(int n, int k) => StudentT.LogGamma(n + 1) - StudentT.LogGamma(k + 1) - StudentT.LogGamma(n - k + 1);
}
