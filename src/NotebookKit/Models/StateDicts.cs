using System.Collections;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace NotebookKit.Models;

/// <summary>Reads, writes and applies state dicts in PyTorch (.pth), safetensors and TorchSharp (.dat) formats.</summary>
public static class StateDicts
{
    /// <summary>
    /// Reads a state dict: <c>.pth</c>/<c>.pt</c>/<c>.bin</c> (PyTorch's zip pickle, through TorchSharp.PyBridge's restricted
    /// unpickler, which only rebuilds tensors and containers and never calls arbitrary functions) or <c>.safetensors</c>
    /// (its header checked first: <see cref="SafetensorsHeader.Check"/>). Weights holding NaN or infinity are refused
    /// (<see cref="RequireFinite"/>): a model with them outputs nothing but NaN.
    /// </summary>
    /// <exception cref="WeightsFormatException">Unreadable, malformed, or holding non-finite values; the message names the file (and the tensor).</exception>
    public static Dictionary<string, Tensor> Read(string path)
    {
        var state = ReadUnchecked(path);
        try { RequireFinite(state, path); }
        catch
        {
            foreach (var t in state.Values) t.Dispose();
            throw;
        }
        return state;
    }

    /// <summary>
    /// Refuses a state dict with a NaN or infinite value in any floating-point tensor, naming the first such tensor,
    /// how many of its values are not finite, and <paramref name="source"/> (the file).
    /// </summary>
    /// <exception cref="WeightsFormatException">A tensor holds NaN or infinity.</exception>
    public static void RequireFinite(IReadOnlyDictionary<string, Tensor> state, string source)
    {
        if (FirstNonFinite(state) is { } bad)
            throw new WeightsFormatException($"{source}: tensor '{bad.Name}' holds {bad.Count} non-finite value(s) (NaN or infinity) among {bad.Total}: "
                + "the weights are damaged, or were saved from a run whose loss diverged; a model with them outputs only NaN. "
                + "Download or export them again, or train again (from an earlier checkpoint, or with a lower --lr).");
    }

    /// <summary>The first floating-point tensor (by name) holding NaN or infinity, with how many of its values are, or null when none does.</summary>
    public static (string Name, long Count, long Total)? FirstNonFinite(IReadOnlyDictionary<string, Tensor> state)
    {
        foreach (var (name, tensor) in state.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!tensor.is_floating_point() || tensor.numel() == 0) continue;
            using var scope = NewDisposeScope();
            long bad = tensor.numel() - tensor.isfinite().sum().item<long>();
            if (bad > 0) return (name, bad, tensor.numel());
        }
        return null;
    }

    static Dictionary<string, Tensor> ReadUnchecked(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: weights file not found.", path);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        try
        {
            Dictionary<string, Tensor> state = extension switch
            {
                ".safetensors" => LoadSafetensors(path),
                ".pth" or ".pt" or ".bin" or ".ckpt" => UnpickleChecked(path),
                ".dat" => throw new NotSupportedException($"{path}: TorchSharp .dat files hold no names to read alone; use StateDicts.LoadInto with a model."),
                _ => throw new NotSupportedException($"{path}: unknown weights format '{extension}'. Use .pth (PyTorch), .safetensors or .dat (TorchSharp)."),
            };
            // Checkpoints saved from nn.DataParallel prefix every key with "module.".
            return state.Keys.All(k => k.StartsWith("module.", StringComparison.Ordinal))
                ? state.ToDictionary(kv => kv.Key["module.".Length..], kv => kv.Value)
                : state;
        }
        catch (Exception e) when (e is not NotSupportedException and not FileNotFoundException and not WeightsFormatException)
        {
            throw new WeightsFormatException($"{path}: not a readable {extension} weights file ({e.GetType().Name}: {e.Message}). It may be corrupt, truncated, or not a state dict; download it again.", e);
        }
    }

    /// <summary>Checks the header (offsets in bounds, disjoint, covering the data) before reading a byte of tensor data.</summary>
    static Dictionary<string, Tensor> LoadSafetensors(string path)
    {
        SafetensorsHeader.Check(path);
        return Safetensors.LoadStateDict(path);
    }

    /// <summary>Bounds the archive first (<see cref="TorchArchive.Check"/>), then unpickles it.</summary>
    static Dictionary<string, Tensor> UnpickleChecked(string path)
    {
        TorchArchive.Check(path);
        return FromHashtable(PyTorchUnpickler.UnpickleStateDict(path), path);
    }

    static Dictionary<string, Tensor> FromHashtable(Hashtable table, string path)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is not string key || entry.Value is not Tensor tensor)
                throw new WeightsFormatException($"{path}: entry '{entry.Key}' is not a named tensor; the file is a full pickled object, not a state dict. Save `model.state_dict()` instead.");
            result[key] = tensor;
        }
        return result;
    }

    /// <summary>
    /// Writes the model's state dict as <c>.safetensors</c> or <c>.pth</c> (both load in PyTorch), or TorchSharp <c>.dat</c>:
    /// into a temporary file renamed when complete, so a failed write leaves nothing (and never half a file).
    /// </summary>
    public static string Write(nn.Module model, string path) =>
        Path.GetExtension(path).Equals(".dat", StringComparison.OrdinalIgnoreCase)
            ? WriteAtomically(path, temp => model.save(temp))
            : Write(model.state_dict(), path);

    /// <summary>Writes <paramref name="state"/> as <c>.safetensors</c> or <c>.pth</c>, atomically (see <see cref="Write(nn.Module, string)"/>).</summary>
    public static string Write(Dictionary<string, Tensor> state, string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".safetensors" => WriteAtomically(path, temp => Safetensors.SaveStateDict(temp, state)),
        ".pth" or ".pt" => WriteAtomically(path, temp => PyTorchPickler.PickleStateDict(temp, state)),
        _ => throw new NotSupportedException($"{path}: write .safetensors or .pth (or .dat from a model)."),
    };

    static string WriteAtomically(string path, Action<string> write)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = KitFiles.TemporaryFor(path);
        try
        {
            write(temp);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            throw;
        }
        return path;
    }

    /// <summary>
    /// Copies a state dict into <paramref name="model"/> key by key and reports what happened. With
    /// <paramref name="skipHeadIfClassesDiffer"/>, a head of another class count (or none) is left as it is (transfer
    /// learning). A load that is not <see cref="LoadReport.Complete"/> is refused before anything is copied, unless
    /// <paramref name="allowPartial"/> (surgery experiments): then the keys that fit are copied and the report says
    /// what was not.
    /// </summary>
    /// <exception cref="IncompleteWeightsException">Keys missing, mis-shaped or unexpected, and not <paramref name="allowPartial"/>.</exception>
    public static LoadReport LoadInto(ResNetModel model, IReadOnlyDictionary<string, Tensor> state, bool skipHeadIfClassesDiffer = true, bool allowPartial = false) =>
        LoadInto(model, state, skipHeadIfClassesDiffer, allowPartial, "the state dict");

    /// <summary><see cref="LoadInto(ResNetModel, IReadOnlyDictionary{string, Tensor}, bool, bool)"/> naming <paramref name="source"/> (the file) in its errors.</summary>
    internal static LoadReport LoadInto(ResNetModel model, IReadOnlyDictionary<string, Tensor> state, bool skipHeadIfClassesDiffer, bool allowPartial, string source)
    {
        var own = model.state_dict();
        bool skipHead = skipHeadIfClassesDiffer && ClassCount(state) is var classes && classes != model.NumClasses;
        var loaded = new List<string>();
        var missing = new List<string>();
        var mismatched = new List<string>();
        foreach (var (name, target) in own)
        {
            if (skipHead && ResNetModel.StageOf(name) == Stages.Head) { missing.Add(name); continue; }
            if (!state.TryGetValue(name, out var value)) { missing.Add(name); continue; }
            if (!value.shape.SequenceEqual(target.shape))
            {
                mismatched.Add($"{name} [{string.Join("x", value.shape)}] vs model [{string.Join("x", target.shape)}]");
                continue;
            }
            loaded.Add(name);
        }
        var unexpected = state.Keys.Where(k => !own.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var report = new LoadReport(loaded, missing, unexpected, mismatched, skipHead);
        if (!report.Complete && !allowPartial) throw IncompleteWeightsException.For(source, model.Architecture, report, state.Keys);
        using (no_grad())
            foreach (var name in loaded) own[name].copy_(state[name]);
        return report;
    }

    /// <summary>Loads a file into the model (any supported format) and reports by key; refuses an incomplete load unless <paramref name="allowPartial"/>.</summary>
    /// <exception cref="IncompleteWeightsException">Keys missing, mis-shaped or unexpected, and not <paramref name="allowPartial"/>.</exception>
    public static LoadReport LoadInto(ResNetModel model, string path, bool skipHeadIfClassesDiffer = true, bool allowPartial = false)
    {
        if (Path.GetExtension(path).Equals(".dat", StringComparison.OrdinalIgnoreCase)) return LoadDat(model, path, allowPartial);
        var state = Read(path);
        using var owned = new DisposableState(state);
        return LoadInto(model, state, skipHeadIfClassesDiffer, allowPartial, path);
    }

    sealed class DisposableState(Dictionary<string, Tensor> state) : IDisposable
    {
        public Dictionary<string, Tensor> Saved => state;
        public void Dispose() { foreach (var t in state.Values) t.Dispose(); }
    }

    /// <summary>
    /// TorchSharp's .dat holds names but is read straight into the model, so the model's values are kept aside and put
    /// back when the load fails or is incomplete (and not <paramref name="allowPartial"/>).
    /// </summary>
    static LoadReport LoadDat(ResNetModel model, string path, bool allowPartial)
    {
        var own = model.state_dict();
        using var backup = new DisposableState(own.ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone()));
        void Restore() { using (no_grad()) foreach (var (name, saved) in backup.Saved) own[name].copy_(saved); }
        var found = new Dictionary<string, bool>();
        try { model.load(path, strict: false, loadedParameters: found); }
        catch (Exception e) when (e is ArgumentException or IOException or EndOfStreamException or FormatException)
        {
            Restore();
            throw new WeightsFormatException($"{path}: not a TorchSharp .dat file of this model ({e.Message}). Was it saved from {model.Architecture.Name} with {model.NumClasses} classes?", e);
        }
        try { RequireFinite(own, path); }
        catch
        {
            Restore();
            throw;
        }
        var names = own.Keys.ToList();
        var report = new LoadReport(names.Where(n => found.GetValueOrDefault(n)).ToList(), names.Where(n => !found.GetValueOrDefault(n)).ToList(), [], [], false);
        if (report.Complete || allowPartial) return report;
        Restore();
        throw IncompleteWeightsException.For(path, model.Architecture, report, report.Loaded);
    }

    /// <summary>The class count of a state dict's head (rows of <c>fc.weight</c>, or of the last <c>fc.N.weight</c>), if it has one.</summary>
    public static int? ClassCount(IReadOnlyDictionary<string, Tensor> state)
    {
        var head = state.Keys.Where(k => k.StartsWith("fc.", StringComparison.Ordinal) && k.EndsWith(".weight", StringComparison.Ordinal))
            .OrderBy(k => k.Length).ThenBy(k => k, StringComparer.Ordinal).LastOrDefault();
        return head is null ? null : (int)state[head].shape[0];
    }
}
