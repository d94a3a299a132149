using System.Globalization;

namespace NotebookKit.Experiments.Statistics;

/// <summary>A confidence interval [<see cref="Low"/>, <see cref="High"/>] (for accuracies: fractions, not percentages).</summary>
public readonly record struct Interval(double Low, double High)
{
    /// <summary>Whether <paramref name="value"/> lies inside (ends included).</summary>
    public bool Contains(double value) => value >= Low && value <= High;

    /// <summary>High minus low.</summary>
    public double Width => High - Low;

    /// <summary>As percentage points: "[-2.1, +3.3]" for a difference, "[77.9, 84.8]" otherwise.</summary>
    public string ToPoints(bool signed = false) => signed
        ? string.Create(CultureInfo.InvariantCulture, $"[{Low * 100:+0.0;-0.0;0.0}, {High * 100:+0.0;-0.0;0.0}]")
        : string.Create(CultureInfo.InvariantCulture, $"[{Low * 100:0.0}, {High * 100:0.0}]");

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"[{Low:G4}, {High:G4}]");
}
