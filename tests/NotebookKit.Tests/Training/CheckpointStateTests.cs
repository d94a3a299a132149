using System.Text.Json.Nodes;
using NotebookKit.Tests.Support;
using NotebookKit.Training;

namespace NotebookKit.Tests.Training;

/// <summary>Issue 30, item 10: a damaged state.json is refused on load, naming the field, the file and the fix.</summary>
public class CheckpointStateTests : IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();

    static EpochRecord Epoch(int epoch, double validation = 0.5) =>
        new(epoch, "unfrozen", 1.2, 0.4, 1.3, validation, 0.01, 2.5, 40, 900, 120);

    /// <summary>A sound checkpoint of a fine-tuning's unfrozen phase: one head epoch before it, two of its own done.</summary>
    static CheckpointState Sound() => new(2, 20, [Epoch(1) with { Phase = "head" }, Epoch(2, 0.6), Epoch(3, 0.55)], 0.6, 2)
    {
        Phase = "unfrozen", EpochOffset = 1,
        Settings = new CheckpointSettings("sgd", 0.01, 0.01, true, 1e-4, 0.9, "cosine", 0, null),
    };

    string Write(string name, Action<JsonObject> damage)
    {
        var folder = Path.Combine(temp.Path, name);
        Directory.CreateDirectory(Path.Combine(folder, "last"));
        var json = JsonNode.Parse(KitJson.Serialize(Sound()))!.AsObject();
        damage(json);
        File.WriteAllText(Path.Combine(folder, "last", "state.json"), json.ToJsonString());
        return folder;
    }

    /// <summary>Sets the field at <paramref name="path"/> (<c>a.b[1].c</c>).</summary>
    static void Set(JsonObject root, string path, JsonNode? value)
    {
        JsonNode current = root;
        var parts = path.Split('.');
        foreach (var part in parts[..^1])
        {
            int bracket = part.IndexOf('[');
            current = bracket < 0 ? current[part]! : current[part[..bracket]]![int.Parse(part[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)]!;
        }
        current.AsObject()[parts[^1]] = value;
    }

    [Fact]
    public void A_sound_state_reads_back_as_written()
    {
        var folder = Write("sound", _ => { });

        var state = Checkpoints.Peek(folder);

        Assert.Equal(2, state.Epoch);
        Assert.Equal(3, state.History.Count);
        Assert.Equal("unfrozen", state.Phase);
    }

    public static TheoryData<string, string> Damage() => new()
    {
        { "epoch=-5", "epoch is -5, expected 1 or more" },
        { "epoch=0", "epoch is 0, expected 1 or more" },
        { "step=-1", "step is -1" },
        { "epoch_offset=-2", "epoch_offset is -2" },
        { "phase=", "phase is ''" },
        { "history=null", "history is missing" },
        { "history[1].epoch=3", "history[2].epoch is 3; the curve's epochs must increase" },
        { "history[0].epoch=0", "history[0].epoch is 0; the curve's epochs must increase" },
        { "history[0].train_loss=NaN", "history[0].train_loss is NaN" },
        { "history[2].validation_accuracy=1.5", "history[2].validation_accuracy is 1.5" },
        { "history[1].learning_rate=-Infinity", "history[1].learning_rate is -Infinity" },
        { "history[0].live_tensors=-1", "history[0].live_tensors is -1" },
        { "best_epoch=9", "best_epoch is 9, expected 1 to 3" },
        { "best_validation_accuracy=-0.2", "best_validation_accuracy is -0.2" },
        { "settings.learning_rate=0", "settings.learning_rate is 0" },
        { "settings.clip_grad_norm=NaN", "settings.clip_grad_norm is NaN" },
    };

    [Theory]
    [MemberData(nameof(Damage))]
    public void A_damaged_field_is_refused_naming_the_field_the_file_and_the_fix(string damage, string expected)
    {
        var (path, value) = (damage[..damage.IndexOf('=')], damage[(damage.IndexOf('=') + 1)..]);
        JsonNode? node = value switch
        {
            "null" => null,
            _ when double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) => JsonValue.Create(number),
            _ => JsonValue.Create(value), // "NaN", "-Infinity" (JSON's named literals as the kit writes them) or text
        };
        var folder = Write("damaged", json => Set(json, path, node));
        var file = Path.Combine(folder, "last", "state.json");

        var e = Assert.Throws<KitException>(() => Checkpoints.Peek(folder));

        Assert.StartsWith($"{file}: ", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.Contains("start without --resume", e.Message);
        Assert.Contains($"Delete {Path.Combine(folder, "last")}", e.Message);
    }
}
