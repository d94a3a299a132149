using System.Text.Json;
using NotebookKit.Models;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace NotebookKit.Training;

/// <summary>What a checkpoint records besides the weights.</summary>
public sealed record CheckpointState(int Epoch, long Step, IReadOnlyList<EpochRecord> History, double BestValidationAccuracy, int BestEpoch);

/// <summary>
/// Checkpoints: <c>DIR/last/</c> holds model.safetensors, optimizer.pt and state.json, written into a temporary
/// folder and renamed, so an interrupted write never replaces a good checkpoint with a broken one.
/// </summary>
public static class Checkpoints
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>The best epoch's weights: <c>DIR/best.safetensors</c>.</summary>
    public static string BestFile(string directory) => Path.Combine(directory, "best.safetensors");

    /// <summary>Writes the model's weights as the best so far (<see cref="BestFile"/>).</summary>
    public static void SaveBest(string directory, ResNetModel model) => StateDicts.Write(model, BestFile(directory));

    /// <summary>Writes the checkpoint and returns its folder.</summary>
    public static string Save(string directory, ResNetModel model, optim.Optimizer optimizer, CheckpointState state)
    {
        var final = Path.Combine(Path.GetFullPath(directory), "last");
        var temp = final + $".writing-{Environment.ProcessId}";
        if (Directory.Exists(temp)) Directory.Delete(temp, true);
        Directory.CreateDirectory(temp);
        StateDicts.Write(model, Path.Combine(temp, "model.safetensors"));
        ((TorchSharp.Modules.OptimizerHelper)optimizer).save_py(Path.Combine(temp, "optimizer.pt"));
        File.WriteAllText(Path.Combine(temp, "state.json"), JsonSerializer.Serialize(state, Json));
        var old = final + ".old";
        if (Directory.Exists(old)) Directory.Delete(old, true);
        if (Directory.Exists(final)) Directory.Move(final, old);
        Directory.Move(temp, final);
        if (Directory.Exists(old)) Directory.Delete(old, true);
        return final;
    }

    /// <summary>Restores model and optimizer from <paramref name="checkpoint"/> (a checkpoint folder or its parent).</summary>
    public static CheckpointState Load(string checkpoint, ResNetModel model, optim.Optimizer optimizer)
    {
        var folder = File.Exists(Path.Combine(checkpoint, "state.json")) ? checkpoint : Path.Combine(checkpoint, "last");
        if (!File.Exists(Path.Combine(folder, "state.json")))
            throw new FileNotFoundException($"{checkpoint}: no checkpoint here (expected state.json, model.safetensors, optimizer.pt; `nbkit train --out DIR` writes them to DIR/last).");
        var report = StateDicts.LoadInto(model, Path.Combine(folder, "model.safetensors"), skipHeadIfClassesDiffer: false);
        if (!report.Complete) throw new InvalidOperationException($"{folder}: the checkpoint does not fit this model ({report}).");
        TorchArchive.Check(Path.Combine(folder, "optimizer.pt")); // bounded before the unpickler inflates it
        ((TorchSharp.Modules.OptimizerHelper)optimizer).load_py(Path.Combine(folder, "optimizer.pt"));
        return JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(Path.Combine(folder, "state.json")), Json)!;
    }
}
