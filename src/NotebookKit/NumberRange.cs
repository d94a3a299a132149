using System.Globalization;

namespace NotebookKit;

/// <summary>
/// The values a numeric setting accepts, and the words that say so. The library's guard clauses and the command line's
/// option checks use the same ranges (<see cref="Ranges"/>), so a value is refused with the same sentence in a notebook
/// and on the command line.
/// </summary>
/// <param name="What">What the number is ("epochs per run"), said after the range.</param>
/// <param name="Min">The smallest value (or the bound above which values start, when <paramref name="MinExclusive"/>).</param>
/// <param name="Max">The largest value (<see cref="double.PositiveInfinity"/>: no upper bound, but the value must be finite).</param>
/// <param name="Whole">Whole numbers only.</param>
/// <param name="MinExclusive">Values must be greater than <paramref name="Min"/>.</param>
/// <param name="MaxExclusive">Values must be less than <paramref name="Max"/>.</param>
public sealed record NumberRange(string What, double Min, double Max, bool Whole = true, bool MinExclusive = false, bool MaxExclusive = false)
{
    /// <summary>Whole numbers from <paramref name="min"/> to <paramref name="max"/> (both included).</summary>
    public static NumberRange Integers(string what, int min, int max = int.MaxValue) => new(what, min, max);

    /// <summary>Finite numbers greater than <paramref name="min"/> and at most <paramref name="max"/>.</summary>
    public static NumberRange Above(string what, double min, double max = double.PositiveInfinity) => new(what, min, max, Whole: false, MinExclusive: true);

    /// <summary>Whether <paramref name="value"/> is in the range.</summary>
    public bool Accepts(double value) =>
        double.IsFinite(value) && (!Whole || Math.Floor(value) == value)
        && (MinExclusive ? value > Min : value >= Min) && (MaxExclusive ? value < Max : value <= Max);

    /// <summary>The range in words: "a whole number from 1 to 10000 (epochs per run)".</summary>
    public string Expected
    {
        get
        {
            string low = N(Min), high = N(Max);
            string range = (Whole, MinExclusive, MaxExclusive, double.IsPositiveInfinity(Max) || Max >= int.MaxValue) switch
            {
                (true, _, _, true) => $"a whole number, {low} or more",
                (true, _, _, false) => $"a whole number from {low} to {high}",
                (false, true, _, true) => $"a finite number greater than {low}",
                (false, true, true, false) => $"a number greater than {low} and less than {high}",
                (false, true, false, false) => $"a number greater than {low} and at most {high}",
                (false, false, _, _) => $"a number from {low} to {high}",
            };
            return $"{range} ({What})";
        }
    }

    /// <summary>The sentence that refuses <paramref name="value"/> given as <paramref name="name"/>: "--epochs 0: expected a whole number from 1 to 10000 (epochs per run)."</summary>
    public string Refusal(string name, string value) => $"{name} {value}: expected {Expected}.";

    /// <summary>Returns <paramref name="value"/>, or throws naming <paramref name="name"/>, the value and the range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public int Check(int value, string name) =>
        Accepts(value) ? value : throw new ArgumentOutOfRangeException(name, Refusal(name + " =", value.ToString(CultureInfo.InvariantCulture)));

    /// <inheritdoc cref="Check(int, string)"/>
    public double Check(double value, string name) =>
        Accepts(value) ? value : throw new ArgumentOutOfRangeException(name, Refusal(name + " =", value.ToString("R", CultureInfo.InvariantCulture)));

    static string N(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
