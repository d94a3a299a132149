using System.Text.Json;
using NotebookKit.Models;

namespace NotebookKit.Training;

/// <summary>
/// Checkpoints: <c>DIR/last/</c> holds model.safetensors, optimizer.safetensors and state.json, written into a temporary
/// folder (<c>last.writing-PID</c>) and renamed, so an interrupted write never replaces a good checkpoint with a broken one;
/// temporaries of dead processes are swept on the next save. <c>DIR/best.safetensors</c> holds the best epoch's weights,
/// one notion of "best" across the phases of a recipe.
/// </summary>
public static class Checkpoints
{
    /// <summary>The best epoch's weights: <c>DIR/best.safetensors</c>.</summary>
    public static string BestFile(string directory) => Path.Combine(directory, "best.safetensors");

    /// <summary>Writes the model's weights as the best so far (<see cref="BestFile"/>).</summary>
    public static void SaveBest(string directory, ResNetModel model) => StateDicts.Write(model, BestFile(directory));

    /// <summary>Writes the checkpoint and returns its folder.</summary>
    public static string Save(string directory, ResNetModel model, KitOptimizer optimizer, CheckpointState state)
    {
        var root = Path.GetFullPath(directory);
        Directory.CreateDirectory(root);
        KitFiles.SweepTemporaries(root);
        var final = Path.Combine(root, "last");
        var temp = $"{final}.writing-{Environment.ProcessId}";
        if (Directory.Exists(temp)) Directory.Delete(temp, true);
        Directory.CreateDirectory(temp);
        try
        {
            StateDicts.Write(model, Path.Combine(temp, "model.safetensors"));
            optimizer.Save(Path.Combine(temp, "optimizer.safetensors"));
            File.WriteAllText(Path.Combine(temp, "state.json"), KitJson.Serialize(state));
            var old = final + ".old";
            if (Directory.Exists(old)) Directory.Delete(old, true);
            if (Directory.Exists(final)) Directory.Move(final, old);
            Directory.Move(temp, final);
            if (Directory.Exists(old)) Directory.Delete(old, true);
        }
        finally { if (Directory.Exists(temp)) Directory.Delete(temp, true); }
        return final;
    }

    /// <summary>The checkpoint folder of <paramref name="checkpoint"/> (the folder itself, or its <c>last/</c>).</summary>
    public static string FolderOf(string checkpoint) =>
        File.Exists(Path.Combine(checkpoint, "state.json")) ? checkpoint : Path.Combine(checkpoint, "last");

    /// <summary>Reads a checkpoint's state.json alone (which phase and epoch it is at).</summary>
    /// <exception cref="KitException">No checkpoint there, or an unreadable one.</exception>
    public static CheckpointState Peek(string checkpoint)
    {
        var folder = FolderOf(checkpoint);
        var path = Path.Combine(folder, "state.json");
        if (!File.Exists(path))
            throw new KitException($"{checkpoint}: no checkpoint here (expected last/state.json, model.safetensors, optimizer.safetensors; `nbkit train --out DIR` writes them). Start afresh without --resume.");
        CheckpointState state;
        try
        {
            state = KitJson.Deserialize<CheckpointState>(File.ReadAllText(path))
                ?? throw new KitException($"{path} is empty; the checkpoint is damaged. Start afresh without --resume.");
        }
        catch (JsonException e)
        {
            throw new KitException($"{path} is not a readable checkpoint state ({e.Message}); the checkpoint is damaged or was written by another version. Start afresh without --resume.", e);
        }
        if (CheckpointStateCheck.Problem(state) is { } problem)
            throw new KitException($"{path}: {problem}; the checkpoint is damaged. Delete {folder} (or the whole run folder) and start again, or start without --resume.");
        return state;
    }

    /// <summary>
    /// Restores model and optimizer from <paramref name="checkpoint"/> (a checkpoint folder or its parent) for a fit with
    /// <paramref name="options"/>: the settings must be those the checkpoint was written with, and it must not be past the
    /// options' epochs.
    /// </summary>
    /// <exception cref="KitException">Missing, damaged, for other settings, or past the end.</exception>
    public static CheckpointState Load(string checkpoint, ResNetModel model, KitOptimizer optimizer, TrainOptions options)
    {
        var state = Peek(checkpoint);
        var folder = FolderOf(checkpoint);
        if (state.Phase != options.Phase)
            throw new KitException($"{folder} is a checkpoint of phase '{state.Phase}', not '{options.Phase}'; resume it with the strategy that wrote it.");
        var wanted = CheckpointSettings.Of(options);
        if (state.Settings is { } saved && saved != wanted)
            throw new KitException($"{folder} was written with other settings ({Difference(saved, wanted)}); resume with the same options, or start afresh without --resume.");
        if (state.EpochOffset != options.EpochOffset)
            throw new KitException($"{folder}/state.json: epoch_offset is {state.EpochOffset}, but this phase starts after {options.EpochOffset} earlier epoch(s); the checkpoint is damaged or from another recipe. Delete {folder} or start without --resume.");
        if (state.Epoch > options.Epochs)
            throw new KitException($"{folder} is at epoch {state.Epoch} of phase '{state.Phase}', beyond the {options.Epochs} epoch(s) asked for; resume with more epochs, or start afresh.");
        var modelFile = Path.Combine(folder, "model.safetensors");
        if (!File.Exists(modelFile)) throw new KitException($"{modelFile} is missing; the checkpoint is incomplete. Start afresh without --resume.");
        StateDicts.LoadInto(model, modelFile, skipHeadIfClassesDiffer: false);
        var optimizerFile = Path.Combine(folder, "optimizer.safetensors");
        if (!File.Exists(optimizerFile)) throw new KitException($"{optimizerFile} is missing; the checkpoint is incomplete or was written by an older version. Start afresh without --resume.");
        optimizer.Load(optimizerFile);
        return state;
    }

    static string Difference(CheckpointSettings saved, CheckpointSettings wanted)
    {
        var differences = typeof(CheckpointSettings).GetProperties()
            .Select(p => (p.Name, Saved: p.GetValue(saved), Wanted: p.GetValue(wanted)))
            .Where(x => !Equals(x.Saved, x.Wanted))
            .Select(x => $"{x.Name}: {x.Saved ?? "none"} then, {x.Wanted ?? "none"} now");
        return string.Join("; ", differences);
    }
}
