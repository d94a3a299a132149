using System.Globalization;

namespace NotebookKit.Experiments;

/// <summary>
/// The sentences that answer "freeze or fine-tune?", written from the paired comparisons: a difference whose interval
/// includes 0 is "no detectable difference" (and the cheaper strategy is named as the practical choice); otherwise the
/// winner is named with the interval and the cost ratio. Never a margin without its interval. "Cheaper" is decided by
/// <see cref="TrainingWork"/> (counted, so the same on every run of the same protocol), not by a wall-clock time, which
/// moves with the machine's load and with the warm-up of a process's first run; the measured times are stated beside it.
/// </summary>
public static class Verdict
{
    /// <summary>The verdict for a set of strategies trained on the same data and seeds.</summary>
    public static string For(IReadOnlyList<StrategySummary> strategies)
    {
        var lines = new List<string>();
        var frozen = strategies.FirstOrDefault(s => s.Strategy is Strategy.FeatureExtraction);
        var tuned = strategies.Where(s => s.Strategy.TunesTransferredLayers).MaxBy(s => s.ValidationAccuracy);
        if (frozen is not null && tuned is not null) lines.Add(TunedVersusFrozen(tuned, frozen));
        var scratch = strategies.FirstOrDefault(s => !s.Strategy.Pretrained);
        var pretrained = strategies.Where(s => s.Strategy.Pretrained).MaxBy(s => s.ValidationAccuracy);
        if (scratch is not null && pretrained is not null) lines.Add(PretrainedVersusScratch(pretrained, scratch));
        return string.Join(" ", lines);
    }

    /// <summary>Fine-tuning (of some kind) against feature extraction.</summary>
    public static string TunedVersusFrozen(StrategySummary tuned, StrategySummary frozen)
    {
        var c = PairedComparison.Of(tuned, frozen);
        double time = frozen.Seconds > 0 ? tuned.Seconds / frozen.Seconds : double.NaN;
        string work = TrainingWork.Ratio(tuned, frozen);
        string costText = (work.Length > 0 ? $"{work}, counting {TrainingWork.Measure}; measured, " : "")
            + string.Create(CultureInfo.InvariantCulture, $"{tuned.Strategy.Title} took {time:0.#} times as long as feature extraction");
        if (c.Detectable)
        {
            var (winner, loser, shown) = c.Difference > 0 ? (tuned, frozen, c) : (frozen, tuned, c.Reversed());
            return $"On this data, {winner.Strategy.Title} beats {loser.Strategy.Title} by {shown.Describe()}; {costText}.";
        }
        var cheaper = TrainingWork.Cheaper(tuned, frozen);
        return $"On this data there is no detectable difference between {tuned.Strategy.Title} and feature extraction: "
            + $"{tuned.Strategy.Title} − feature extraction = {c.Describe()}. The cheaper, {cheaper.Strategy.Title}, is the practical choice "
            + $"(cheaper by training work, not by the clock: {costText}).";
    }

    /// <summary>The best pretrained strategy against training from scratch.</summary>
    public static string PretrainedVersusScratch(StrategySummary pretrained, StrategySummary scratch)
    {
        var c = PairedComparison.Of(pretrained, scratch);
        string what = !c.Detectable ? "no detectable difference" : c.Difference > 0 ? "the pretrained weights help" : "the pretrained weights hurt";
        return $"Pretrained ({pretrained.Strategy.Title}) against training from scratch: {c.Describe()}: {what}.";
    }
}
