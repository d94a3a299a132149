namespace NotebookKit.Training;

/// <summary>Which learning-rate schedule.</summary>
public enum ScheduleKind
{
    /// <summary>Constant.</summary>
    None,
    /// <summary>One-cycle (Smith 2018; fastai's fit_one_cycle): warm up over 25% to the peak, cosine down to peak/1e4.</summary>
    OneCycle,
    /// <summary>Linear warm-up over 5% then cosine to 0.</summary>
    Cosine,
    /// <summary>x0.1 at 1/3 and 2/3 of the steps.</summary>
    Step,
}

/// <summary>The learning-rate multiplier (0..1 of each group's peak) at a step. Pure function: resuming at a step gives the same rate.</summary>
public static class LrSchedule
{
    /// <summary>The multiplier at <paramref name="step"/> of <paramref name="totalSteps"/> (0-based).</summary>
    public static double Factor(ScheduleKind kind, long step, long totalSteps)
    {
        if (totalSteps <= 1) return 1;
        double t = Math.Clamp((double)step / (totalSteps - 1), 0, 1);
        switch (kind)
        {
            case ScheduleKind.None: return 1;
            case ScheduleKind.OneCycle:
                {
                    const double warm = 0.25, start = 1 / 25.0, end = 1 / 1e4;
                    if (t < warm) return Cos(start, 1, t / warm);
                    return Cos(1, end, (t - warm) / (1 - warm));
                }
            case ScheduleKind.Cosine:
                {
                    const double warm = 0.05;
                    if (t < warm) return Math.Max(1e-3, t / warm);
                    return 0.5 * (1 + Math.Cos(Math.PI * (t - warm) / (1 - warm)));
                }
            case ScheduleKind.Step:
                return t < 1 / 3.0 ? 1 : t < 2 / 3.0 ? 0.1 : 0.01;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    // Cosine interpolation from a to b as p goes 0 -> 1.
    static double Cos(double a, double b, double p) => b + (a - b) * 0.5 * (1 + Math.Cos(Math.PI * p));
}
