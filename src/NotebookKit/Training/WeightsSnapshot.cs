using NotebookKit.Models;
using static TorchSharp.torch;

namespace NotebookKit.Training;

/// <summary>A detached copy of a model's state dict (weights and BatchNorm statistics), to put back later.</summary>
public sealed class WeightsSnapshot : IDisposable
{
    readonly Dictionary<string, Tensor> state;

    WeightsSnapshot(Dictionary<string, Tensor> state) => this.state = state;

    /// <summary>Copies <paramref name="model"/>'s state now.</summary>
    public static WeightsSnapshot Of(ResNetModel model)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        return new WeightsSnapshot(model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope()));
    }

    /// <summary>Copies the snapshot back into <paramref name="model"/> (the same architecture).</summary>
    public void RestoreInto(ResNetModel model)
    {
        using var _ = no_grad();
        foreach (var (name, tensor) in model.state_dict()) tensor.copy_(state[name]);
    }

    /// <summary>Releases the copies.</summary>
    public void Dispose()
    {
        foreach (var t in state.Values) t.Dispose();
        state.Clear();
    }
}
