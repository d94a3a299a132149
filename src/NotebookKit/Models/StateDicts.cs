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
    /// unpickler, which only rebuilds tensors and containers and never calls arbitrary functions) or <c>.safetensors</c>.
    /// </summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: weights file not found.", path);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        try
        {
            Dictionary<string, Tensor> state = extension switch
            {
                ".safetensors" => Safetensors.LoadStateDict(path),
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

    /// <summary>Writes the model's state dict as <c>.safetensors</c> or <c>.pth</c> (both load in PyTorch), or TorchSharp <c>.dat</c>.</summary>
    public static string Write(nn.Module model, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        switch (Path.GetExtension(path).ToLowerInvariant())
        {
            case ".safetensors": Safetensors.SaveStateDict(temp, model.state_dict()); break;
            case ".pth" or ".pt": PyTorchPickler.PickleStateDict(temp, model.state_dict()); break;
            case ".dat": model.save(temp); break;
            default: throw new NotSupportedException($"{path}: write .safetensors, .pth or .dat.");
        }
        File.Move(temp, path, overwrite: true);
        return path;
    }

    /// <summary>
    /// Copies a state dict into <paramref name="model"/> key by key and reports what happened. With
    /// <paramref name="skipHeadIfClassesDiffer"/>, a head of another class count is skipped (transfer learning).
    /// </summary>
    public static LoadReport LoadInto(ResNetModel model, IReadOnlyDictionary<string, Tensor> state, bool skipHeadIfClassesDiffer = true)
    {
        var own = model.state_dict();
        bool skipHead = skipHeadIfClassesDiffer && ClassCount(state) is { } classes && classes != model.NumClasses;
        var loaded = new List<string>();
        var missing = new List<string>();
        var mismatched = new List<string>();
        using (no_grad())
        {
            foreach (var (name, target) in own)
            {
                if (skipHead && ResNetModel.StageOf(name) == Stages.Head) { missing.Add(name); continue; }
                if (!state.TryGetValue(name, out var source)) { missing.Add(name); continue; }
                if (!source.shape.SequenceEqual(target.shape))
                {
                    mismatched.Add($"{name} [{string.Join("x", source.shape)}] vs model [{string.Join("x", target.shape)}]");
                    continue;
                }
                target.copy_(source);
                loaded.Add(name);
            }
        }
        var unexpected = state.Keys.Where(k => !own.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        return new LoadReport(loaded, missing, unexpected, mismatched, skipHead);
    }

    /// <summary>Loads a file into the model (any supported format) and reports by key.</summary>
    public static LoadReport LoadInto(ResNetModel model, string path, bool skipHeadIfClassesDiffer = true)
    {
        if (Path.GetExtension(path).Equals(".dat", StringComparison.OrdinalIgnoreCase))
        {
            var loaded = new Dictionary<string, bool>();
            model.load(path, strict: false, loadedParameters: loaded);
            var names = model.state_dict().Keys.ToList();
            return new LoadReport(names.Where(n => loaded.GetValueOrDefault(n)).ToList(), names.Where(n => !loaded.GetValueOrDefault(n)).ToList(), [], [], false);
        }
        var state = Read(path);
        try { return LoadInto(model, state, skipHeadIfClassesDiffer); }
        finally { foreach (var t in state.Values) t.Dispose(); }
    }

    /// <summary>The class count of a state dict's head (rows of <c>fc.weight</c>, or of the last <c>fc.N.weight</c>), if it has one.</summary>
    public static int? ClassCount(IReadOnlyDictionary<string, Tensor> state)
    {
        var head = state.Keys.Where(k => k.StartsWith("fc.", StringComparison.Ordinal) && k.EndsWith(".weight", StringComparison.Ordinal))
            .OrderBy(k => k.Length).ThenBy(k => k, StringComparer.Ordinal).LastOrDefault();
        return head is null ? null : (int)state[head].shape[0];
    }
}
