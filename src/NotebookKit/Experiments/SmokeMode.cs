namespace NotebookKit.Experiments;

/// <summary>
/// Smoke mode: notebooks and apps pick tiny settings (the <c>smoke</c> presets) so they run top to bottom in about a
/// minute each on a laptop CPU; the test suite runs every notebook this way. Its numbers only show that everything
/// runs. On when <c>NBKIT_SMOKE=1</c> (or <c>true</c>, <c>yes</c>), or when a notebook sets <see cref="Enabled"/> in its
/// first cell (an editor started from the desktop does not see environment variables set in a terminal).
/// </summary>
public static class SmokeMode
{
    /// <summary>The environment variable.</summary>
    public const string Variable = "NBKIT_SMOKE";

    static bool? chosen;

    /// <summary>
    /// Whether smoke mode is on: what was set here, else <see cref="FromEnvironment"/>. Setting it lasts for the
    /// process (the notebook's kernel); set it before the cells that train.
    /// </summary>
    public static bool Enabled
    {
        get => chosen ?? FromEnvironment;
        set => chosen = value;
    }

    /// <summary>Whether <see cref="Variable"/> asks for smoke mode (<c>1</c>, <c>true</c> or <c>yes</c>).</summary>
    public static bool FromEnvironment =>
        Environment.GetEnvironmentVariable(Variable)?.Trim().ToLowerInvariant() is "1" or "true" or "yes";

    /// <summary>
    /// The line a notebook shows first: in smoke mode, that its numbers are a smoke test; otherwise, that its cells
    /// train at full settings.
    /// </summary>
    public static string Notice => Enabled
        ? "Smoke mode: tiny data, few epochs, one seed. Every accuracy and time below is a smoke test: it shows "
            + "that everything runs, not an answer. The notebook's text gives the figures of a real run."
        : $"Full settings (smoke mode is off): training cells take minutes on a CPU. For a quick pass, set "
            + $"SmokeMode.Enabled = true in the first cell (or {Variable}=1 before starting the editor).";

    /// <summary>The smoke preset in smoke mode, else <paramref name="otherwise"/> (default: the default preset).</summary>
    public static Preset Preset(string otherwise = "default") => Experiments.Preset.Find(Enabled ? "smoke" : otherwise);

    /// <summary>The smoke study preset in smoke mode, else <paramref name="otherwise"/> (default: the default one).</summary>
    public static StudyPreset StudyPreset(string otherwise = "default") => Experiments.StudyPreset.Find(Enabled ? "smoke" : otherwise);

    /// <summary>The smoke transferability preset in smoke mode, else <paramref name="otherwise"/> (default: the default one).</summary>
    public static TransferabilityPreset TransferabilityPreset(string otherwise = "default") =>
        Experiments.TransferabilityPreset.Find(Enabled ? "smoke" : otherwise);
}
