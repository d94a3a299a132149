using System.Globalization;

namespace NotebookKit.Experiments.Statistics;

/// <summary>A confidence interval [<see cref="Low"/>, <see cref="High"/>] (for accuracies: fractions, not percentages).</summary>
public readonly record struct Interval(double Low, double High)
{
    /// <summary>Whether <paramref name="value"/> lies inside (ends included).</summary>
    public bool Contains(double value) => value >= Low && value <= High;

    /// <summary>
    /// The interval cut to [0, 1], for a proportion such as an accuracy: a t interval over a few seeds' accuracies can
    /// reach past 100 % when the seeds disagree, which no accuracy can.
    /// </summary>
    public Interval ClippedToProportion() => new(Math.Max(0, Low), Math.Min(1, High));

    /// <summary>High minus low.</summary>
    public double Width => High - Low;

    /// <summary>As percentage points: "[-2.1, +3.3]" for a difference, "[77.9, 84.8]" otherwise.</summary>
    public string ToPoints(bool signed = false) => signed
        ? string.Create(CultureInfo.InvariantCulture, $"[{Low * 100:+0.0;-0.0;0.0}, {High * 100:+0.0;-0.0;0.0}]")
        : string.Create(CultureInfo.InvariantCulture, $"[{Low * 100:0.0}, {High * 100:0.0}]");

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"[{Low:G4}, {High:G4}]");
}
