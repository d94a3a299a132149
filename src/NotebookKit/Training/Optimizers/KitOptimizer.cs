using System.Text.Json;
using NotebookKit.Models;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace NotebookKit.Training;

/// <summary>
/// The kit's optimizers: SGD with momentum and AdamW/Adam, the same arithmetic as PyTorch's and TorchSharp's, but every
/// <see cref="Scalar"/> a native call uses is held in a variable until the call returns. TorchSharp 0.107's optimizers
/// create implicit Scalars (<c>add_(grad, alpha: -lr)</c>) that a garbage collection can finalise mid-call
/// (dotnet/TorchSharp#1434, #1496), which crashed long runs. State (momentum buffers, Adam's moments and step) is saved
/// and loaded by parameter name.
/// </summary>
public abstract class KitOptimizer : IDisposable
{
    const string EmptyMarker = "__no_state__";
    readonly Dictionary<string, Tensor> state = new(StringComparer.Ordinal);

    /// <summary>An optimizer over <paramref name="groups"/>.</summary>
    protected KitOptimizer(IReadOnlyList<ParameterGroup> groups) => ParamGroups = groups;

    /// <summary>The parameter groups, in stage order.</summary>
    public IReadOnlyList<ParameterGroup> ParamGroups { get; }

    /// <summary>What the optimizer is, for checkpoints ("sgd", "adamw").</summary>
    public abstract string Kind { get; }

    /// <summary>Sets every gradient to zero.</summary>
    public void ZeroGrad()
    {
        foreach (var group in ParamGroups)
            foreach (var (_, p) in group.Parameters)
            {
                using var grad = p.grad;
                grad?.zero_();
            }
    }

    /// <summary>One update of every parameter that has a gradient.</summary>
    public void Step()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        foreach (var group in ParamGroups) Update(group);
    }

    /// <summary>Updates one group.</summary>
    protected abstract void Update(ParameterGroup group);

    /// <summary>The state tensor <paramref name="key"/> of parameter <paramref name="name"/>, created by <paramref name="create"/> the first time (kept outside dispose scopes).</summary>
    protected Tensor State(string name, string key, Func<Tensor> create)
    {
        var full = $"{name}.{key}";
        if (!state.TryGetValue(full, out var tensor)) state[full] = tensor = create().detach().DetachFromDisposeScope();
        return tensor;
    }

    /// <summary>Whether parameter <paramref name="name"/> has state <paramref name="key"/> yet.</summary>
    protected bool HasState(string name, string key) => state.ContainsKey($"{name}.{key}");

    /// <summary>Writes the state as safetensors (tensor names <c>{parameter}.{key}</c>; metadata: the optimizer's kind).</summary>
    public void Save(string path)
    {
        if (state.Count > 0) { Safetensors.SaveStateDict(path, state); return; }
        using var placeholder = zeros(1); // safetensors needs at least one tensor: an optimizer that has not stepped yet
        Safetensors.SaveStateDict(path, new Dictionary<string, Tensor> { [EmptyMarker] = placeholder });
    }

    /// <summary>
    /// Reads state written by <see cref="Save"/>. Every tensor must belong to a parameter of this optimizer with the same
    /// shape, else the checkpoint does not fit (a <see cref="KitException"/> naming the first mismatch).
    /// </summary>
    public void Load(string path)
    {
        Dictionary<string, Tensor> loaded;
        try
        {
            SafetensorsHeader.Check(path);
            loaded = Safetensors.LoadStateDict(path);
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidDataException or ArgumentException or FormatException or InvalidOperationException or EndOfStreamException or WeightsFormatException)
        {
            throw new KitException($"{path}: the optimizer state is unreadable ({e.Message}); the checkpoint is damaged. Start afresh without --resume.", e);
        }
        if (StateDicts.FirstNonFinite(loaded) is { } bad)
        {
            foreach (var t in loaded.Values) t.Dispose();
            throw new KitException($"{path}: optimizer state '{bad.Name}' holds {bad.Count} non-finite value(s) (NaN or infinity) among {bad.Total}; the checkpoint is damaged. Delete {Path.GetDirectoryName(path)} or start afresh without --resume.");
        }
        var parameters = ParamGroups.SelectMany(g => g.Parameters).ToDictionary(p => p.Name, p => p.Parameter, StringComparer.Ordinal);
        foreach (var (key, value) in loaded)
        {
            if (key == EmptyMarker) { value.Dispose(); continue; }
            int dot = key.LastIndexOf('.');
            var name = dot < 0 ? key : key[..dot];
            if (!parameters.TryGetValue(name, out var parameter))
                throw new KitException($"{path}: optimizer state for '{name}', which this model does not train; the checkpoint was written for other settings. Start afresh without --resume.");
            if (key.EndsWith(".step", StringComparison.Ordinal) ? value.numel() != 1 : !value.shape.SequenceEqual(parameter.shape))
                throw new KitException($"{path}: optimizer state '{key}' has shape [{string.Join("x", value.shape)}], the parameter [{string.Join("x", parameter.shape)}]; the checkpoint does not fit this model.");
            if (state.Remove(key, out var old)) old.Dispose();
            // Step counts stay on the CPU (read every step); moments and buffers go where their parameter is.
            state[key] = (key.EndsWith(".step", StringComparison.Ordinal) ? value : value.to(parameter.device)).DetachFromDisposeScope();
        }
    }

    /// <summary>Releases the state.</summary>
    public void Dispose()
    {
        foreach (var t in state.Values) t.Dispose();
        state.Clear();
        GC.SuppressFinalize(this);
    }
}
