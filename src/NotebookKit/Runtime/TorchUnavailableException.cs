using System.Text.Json;
using TorchSharp;

namespace NotebookKit.Runtime;

/// <summary>TorchSharp's native backend could not be loaded; the message says why and how to fix it.</summary>
public sealed class TorchUnavailableException(TorchStatus status) : KitException(status.Summary)
{
    /// <inheritdoc/>
    public override int ExitCode => 1;

    /// <summary>The full status.</summary>
    public TorchStatus Status { get; } = status;
}
