namespace NotebookKit.Experiments;

/// <summary>
/// <c>NBKIT_SMOKE=1</c>: notebooks and apps pick tiny settings (the <c>smoke</c> preset) so they run top to bottom
/// in a few minutes on a laptop CPU; the test suite runs every notebook this way.
/// </summary>
public static class SmokeMode
{
    /// <summary>The environment variable.</summary>
    public const string Variable = "NBKIT_SMOKE";

    /// <summary>Whether smoke mode is on.</summary>
    public static bool Enabled => Environment.GetEnvironmentVariable(Variable) is "1" or "true" or "yes";

    /// <summary>The smoke preset in smoke mode, else <paramref name="otherwise"/> (default: the default preset).</summary>
    public static Preset Preset(string otherwise = "default") => Experiments.Preset.Find(Enabled ? "smoke" : otherwise);
}
