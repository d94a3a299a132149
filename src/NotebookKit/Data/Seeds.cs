namespace NotebookKit.Data;

/// <summary>
/// Deterministic seed mixing (SplitMix64). <see cref="HashCode"/> is randomised per process, so it
/// must never feed a seed: the same seed has to give the same numbers run after run.
/// </summary>
public static class Seeds
{
    /// <summary>Mixes the given values into one 32-bit seed.</summary>
    public static int Mix(params ReadOnlySpan<long> values)
    {
        ulong state = 0x9E3779B97F4A7C15UL;
        foreach (var v in values)
        {
            state ^= (ulong)v;
            state += 0x9E3779B97F4A7C15UL;
            ulong z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            state = z ^ (z >> 31);
        }
        return (int)(state & 0x7fffffff);
    }
}
