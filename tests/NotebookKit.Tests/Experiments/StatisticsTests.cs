using NotebookKit.Experiments.Statistics;

namespace NotebookKit.Tests.Experiments;

/// <summary>
/// The intervals and tests against values computed independently with scipy 1.10.1 and statsmodels 0.13.5 (Debian 12's
/// python3-scipy, python3-statsmodels): stats.t.ppf/cdf, proportion_confint(method="wilson"), mcnemar(exact=True),
/// ttest_rel. The Agresti-Min values come from the published formula, evaluated separately in Python.
/// </summary>
public class StatisticsTests
{
    [Theory]
    [InlineData(1, 12.706204736432095)]
    [InlineData(2, 4.302652729911275)]
    [InlineData(3, 3.182446305284263)]
    [InlineData(4, 2.7764451051977987)]
    [InlineData(9, 2.2621571627409915)]
    [InlineData(29, 2.045229642132703)]
    public void Student_t_quantiles_match_scipy(int df, double expected)
    {
        Assert.Equal(expected, StudentT.Quantile(0.975, df), 9);
        Assert.Equal(-expected, StudentT.Quantile(0.025, df), 9);
    }

    [Fact]
    public void Student_t_cdf_and_two_sided_p_match_scipy()
    {
        Assert.Equal(0.966616727594006, StudentT.Cdf(2.5, 4), 12);   // stats.t.cdf(2.5, 4)
        Assert.Equal(0.2691719368272064, StudentT.TwoSidedP(1.2, 7), 12); // 2 * stats.t.sf(1.2, 7)
        Assert.Equal(0.5, StudentT.Cdf(0, 3), 12);
    }

    [Theory]
    [InlineData(408, 500, 0.7796708962064596, 0.8475105206218394)]
    [InlineData(0, 500, 0.0, 0.007624340461552245)]
    [InlineData(500, 500, 0.9923756595384479, 1.0)]
    [InlineData(7, 20, 0.18119182410108203, 0.5671457233147638)]
    [InlineData(1, 1, 0.2065493143772374, 1.0)]
    public void Wilson_intervals_match_statsmodels_including_0_and_n_correct(int k, int n, double low, double high)
    {
        var ci = Intervals.Wilson(k, n);
        Assert.Equal(low, ci.Low, 12);
        Assert.Equal(high, ci.High, 12);
    }

    [Theory]
    [InlineData(12, 3, 0.03515625)]
    [InlineData(0, 0, 1.0)]              // identical predictions: nothing to test
    [InlineData(5, 5, 1.0)]
    [InlineData(1, 0, 1.0)]
    [InlineData(40, 25, 0.08168153394154003)]
    public void Exact_mcnemar_matches_statsmodels(int onlyA, int onlyB, double expected)
    {
        Assert.Equal(expected, Intervals.McNemarExactP(onlyA, onlyB), 12);
        Assert.Equal(expected, Intervals.McNemarExactP(onlyB, onlyA), 12);
    }

    [Theory]
    [InlineData(12, 3, 500, 0.018, 0.0023899907932854805, 0.0334665829118938)]
    [InlineData(0, 0, 200, 0.0, -0.009702792002673535, 0.009702792002673535)]
    [InlineData(40, 25, 1000, 0.015, -0.0008939247528664297, 0.03083404451334547)]
    public void Agresti_min_paired_difference_matches_the_published_formula(int onlyA, int onlyB, int n, double difference, double low, double high)
    {
        var (d, ci) = Intervals.PairedDifference(onlyA, onlyB, n);
        Assert.Equal(difference, d, 12);
        Assert.Equal(low, ci.Low, 12);
        Assert.Equal(high, ci.High, 12);
    }

    [Fact]
    public void Paired_t_over_seeds_matches_scipy_ttest_rel()
    {
        var (difference, ci, p) = Intervals.PairedT([0.822, 0.830, 0.818], [0.816, 0.822, 0.810]);

        Assert.Equal(0.007333333333333333, difference, 12);
        Assert.Equal(0.004464898180059197, ci.Low, 10);
        Assert.Equal(0.010201768486607409, ci.High, 10);
        Assert.Equal(0.008163401865824113, p, 10);
    }

    [Fact]
    public void A_t_interval_over_seeds_matches_scipy_and_one_seed_has_none()
    {
        var (mean, ci) = Intervals.TInterval([0.80, 0.83, 0.81]);
        Assert.Equal(0.8133333333333334, mean, 12);
        Assert.Equal(0.7753875029959388, ci.Low, 10);
        Assert.Equal(0.8512791636707279, ci.High, 10);

        var (single, none) = Intervals.TInterval([0.8]);
        Assert.Equal(0.8, single);
        Assert.True(double.IsNaN(none.Low) && double.IsNaN(none.High));
        var (_, _, p) = Intervals.PairedT([0.8], [0.7]);
        Assert.True(double.IsNaN(p));
    }

    [Fact]
    public void An_accuracys_t_interval_over_seeds_that_disagree_is_cut_at_100_percent()
    {
        // scipy: mean of [0.80, 0.95, 0.99] ± t(0.975, 2) · s/√3 = [0.66451, 1.16216]; no accuracy passes 1.
        var point = new NotebookKit.Experiments.TransferPoint("AnB", 1, [0.80, 0.95, 0.99], 250);

        Assert.Equal(0.6645058836422743, point.Interval.Low, 1e-9);
        Assert.Equal(1.0, point.Interval.High);
        Assert.Equal(new Interval(0, 1), new Interval(-0.2, 1.3).ClippedToProportion());
    }
}
