using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NotebookKit.Models;

/// <summary>Per stage: parameters, trainable parameters.</summary>
public sealed record StageSummary(string Stage, long Parameters, long Trainable)
{
    /// <summary>Whether every parameter of the stage is frozen.</summary>
    public bool Frozen => Parameters > 0 && Trainable == 0;
}
