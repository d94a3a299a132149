namespace NotebookKit.Experiments.Statistics;

/// <summary>
/// Student's t distribution: its CDF through the regularized incomplete beta function (continued fraction, as in
/// Numerical Recipes §6.4) and its quantiles by bisection on the CDF. Accurate to about 1e-12, checked against scipy.
/// </summary>
public static class StudentT
{
    /// <summary>P(T ≤ <paramref name="t"/>) for <paramref name="df"/> degrees of freedom.</summary>
    public static double Cdf(double t, double df)
    {
        if (df <= 0) throw new ArgumentOutOfRangeException(nameof(df), df, "Degrees of freedom must be positive.");
        if (double.IsNaN(t)) return double.NaN;
        if (double.IsPositiveInfinity(t)) return 1;
        if (double.IsNegativeInfinity(t)) return 0;
        double tail = 0.5 * RegularizedBeta(df / (df + t * t), df / 2, 0.5);
        return t >= 0 ? 1 - tail : tail;
    }

    /// <summary>The <paramref name="p"/>-quantile (e.g. 0.975 for a two-sided 95% interval).</summary>
    public static double Quantile(double p, double df)
    {
        if (p is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(p), p, "A probability strictly between 0 and 1.");
        if (p < 0.5) return -Quantile(1 - p, df);
        double low = 0, high = 1;
        while (Cdf(high, df) < p) high *= 2;
        for (int i = 0; i < 200 && high - low > 1e-13 * Math.Max(1, high); i++)
        {
            double mid = (low + high) / 2;
            if (Cdf(mid, df) < p) low = mid; else high = mid;
        }
        return (low + high) / 2;
    }

    /// <summary>Two-sided p-value of a t statistic.</summary>
    public static double TwoSidedP(double t, double df) => double.IsNaN(t) ? double.NaN : Math.Min(1, 2 * Cdf(-Math.Abs(t), df));

    /// <summary>The regularized incomplete beta function I_x(a, b).</summary>
    static double RegularizedBeta(double x, double a, double b)
    {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        double front = Math.Exp(LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x));
        return x < (a + 1) / (a + b + 2)
            ? front * BetaFraction(x, a, b) / a
            : 1 - front * BetaFraction(1 - x, b, a) / b;
    }

    /// <summary>The continued fraction of the incomplete beta function (modified Lentz).</summary>
    static double BetaFraction(double x, double a, double b)
    {
        const double tiny = 1e-300, epsilon = 1e-16;
        double c = 1, d = 1 - (a + b) * x / (a + 1);
        if (Math.Abs(d) < tiny) d = tiny;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 10_000; m++)
        {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + aa * d; if (Math.Abs(d) < tiny) d = tiny;
            c = 1 + aa / c; if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d; h *= d * c;
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + aa * d; if (Math.Abs(d) < tiny) d = tiny;
            c = 1 + aa / c; if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < epsilon) break;
        }
        return h;
    }

    /// <summary>ln Γ(x) (Lanczos, g = 7, n = 9), relative error below 1e-15 for x &gt; 0.</summary>
    internal static double LogGamma(double x)
    {
        double[] g = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
        if (x < 0.5) return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        x -= 1;
        double sum = g[0];
        for (int i = 1; i < g.Length; i++) sum += g[i] / (x + i);
        double t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }
}
