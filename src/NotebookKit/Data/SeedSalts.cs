namespace NotebookKit.Data;

/// <summary>
/// The constants mixed with a run's seed (<see cref="Seeds.Mix"/>) so that each random stream of a run is distinct
/// and repeatable. Changing one changes every result that depends on it.
/// </summary>
public static class SeedSalts
{
    /// <summary>Torch's generator at the start of each training epoch (dropout, ...): <c>Mix(seed, epoch, 17)</c>.</summary>
    public const int EpochTorchRng = 17;

    /// <summary>The sample order of an epoch: <c>Mix(seed, epoch, -1)</c>.</summary>
    public const int DataOrder = -1;

    /// <summary>A new head's initial weights (and scratch's whole body): <c>Mix(seed, 991)</c>.</summary>
    public const int ModelInit = 991;

    /// <summary>Added to the seed of the second (unfrozen) phase of fine-tuning, so its epochs draw other random numbers than the head phase's.</summary>
    public const int UnfrozenPhase = 1;

    /// <summary>The random split of the classes into halves A and B of the transferability experiment: <c>Mix(splitSeed, 7919)</c>.</summary>
    public const int ClassSplit = 7919;

    /// <summary>A transferability network's initial weights: <c>Mix(seed, depth, fineTuned, 4211)</c>.</summary>
    public const int TransferInit = 4211;
}
