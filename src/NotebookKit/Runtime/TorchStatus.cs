using System.Text.Json;
using TorchSharp;

namespace NotebookKit.Runtime;

/// <summary>What <see cref="TorchRuntime.Initialize"/> found.</summary>
/// <param name="Loaded">Whether the native backend loaded.</param>
/// <param name="TorchSharpVersion">The managed TorchSharp version.</param>
/// <param name="LibTorchVersion">The libtorch version (or package) in use, when known.</param>
/// <param name="Cuda">Whether CUDA is available and chosen.</param>
/// <param name="DeviceName">The chosen device, e.g. <c>cpu</c> or <c>cuda:0 (NVIDIA H100)</c>.</param>
/// <param name="Threads">Intra-op CPU threads.</param>
/// <param name="NativeFix">What the libstdc++ check found and did.</param>
/// <param name="Error">Why torch did not load, with the fix; null when it did.</param>
public sealed record TorchStatus(bool Loaded, string TorchSharpVersion, string? LibTorchVersion, bool Cuda, string DeviceName, int Threads, NativeFixReport NativeFix, string? Error)
{
    /// <summary>One line for a log or a notebook: which device, and what was fixed.</summary>
    public string Summary => Loaded
        ? $"TorchSharp {TorchSharpVersion} (libtorch {LibTorchVersion}) on {(Cuda ? DeviceName : $"CPU, {Threads} threads")}"
            + (NativeFix.Patched.Any() ? $"; patched {NativeFix.Patched.Count()} copy(ies) of {TorchSharpNativeFix.BridgeLibrary} for this system's libstdc++" : "")
        : $"TorchSharp could not load: {Error}";

    /// <inheritdoc/>
    public override string ToString() => Summary;
}
