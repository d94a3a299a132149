namespace NotebookKit.Training;

/// <summary>
/// Where a fit is in its learning-rate schedule: the global step (kept across epochs and resumes) and the factor
/// (<see cref="LrSchedule.Factor"/>) of the step being taken.
/// </summary>
public sealed class ScheduleClock(ScheduleKind schedule, int batchesPerEpoch, int epochs, long step = 0)
{
    readonly long totalSteps = (long)batchesPerEpoch * epochs;

    /// <summary>Steps taken so far.</summary>
    public long Step { get; private set; } = step;

    /// <summary>The factor of the last step taken (of the step before the first, before any).</summary>
    public double LastFactor => LrSchedule.Factor(schedule, Math.Max(0, Step - 1), totalSteps);

    /// <summary>The factor for the next step; advances the clock.</summary>
    public double Next() => LrSchedule.Factor(schedule, Step++, totalSteps);
}
