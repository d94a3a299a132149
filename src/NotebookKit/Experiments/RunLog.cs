using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotebookKit.Experiments;

/// <summary>
/// A multi-run experiment's journal: <c>DIR/runs.jsonl</c> holds one JSON object per finished run, appended (and flushed
/// to disk) the moment the run ends, so a crash or a kill loses at most the run in progress; <c>DIR/run.json</c> holds
/// the protocol. Resuming reads the finished runs back (a partly written last line, from a kill mid-write, is reported
/// and dropped) and refuses a protocol that differs from the one the folder was started with.
/// </summary>
public sealed class RunLog
{
    /// <summary>The journal's file name.</summary>
    public const string FileName = "runs.jsonl";

    /// <summary>The protocol's file name.</summary>
    public const string ProtocolFileName = "run.json";

    /// <summary>Held while a line is appended, by every journal of the process; taken for good by <see cref="StopAppending"/>.</summary>
    static readonly Lock appending = new();

    readonly string path;
    readonly Dictionary<string, JsonObject> runs = new(StringComparer.Ordinal);

    bool fresh;

    RunLog(string folder)
    {
        Folder = folder;
        path = Path.Combine(folder, FileName);
    }

    /// <summary>The experiment's folder.</summary>
    public string Folder { get; }

    /// <summary>What reading the journal found worth saying (e.g. a dropped partial line); empty when all was well.</summary>
    public IReadOnlyList<string> Notices { get; private set; } = [];

    /// <summary>Runs read back from an earlier attempt.</summary>
    public int Resumed { get; private set; }

    /// <summary>
    /// Starts a journal in <paramref name="folder"/> for <paramref name="protocol"/> (any JSON-serialisable description of
    /// the experiment: command, settings, strategies, seeds...). Fresh (<paramref name="resume"/> false): earlier runs there
    /// are discarded. Resuming: the protocol must equal the stored one, and the finished runs are read back.
    /// </summary>
    /// <exception cref="KitException">Resuming a folder with no journal, or with another protocol.</exception>
    public static RunLog Open(string folder, object protocol, bool resume)
    {
        var log = new RunLog(Path.GetFullPath(folder));
        Directory.CreateDirectory(log.Folder);
        var protocolPath = Path.Combine(log.Folder, ProtocolFileName);
        var wanted = JsonNode.Parse(KitJson.Serialize(protocol))!;
        if (resume)
        {
            if (!File.Exists(protocolPath))
                throw new KitException($"{log.Folder}: nothing to resume (no {ProtocolFileName}); run without --resume, with --out {folder}.");
            JsonNode? stored;
            try { stored = JsonNode.Parse(File.ReadAllText(protocolPath)); }
            catch (JsonException e) { throw new KitException($"{protocolPath}: unreadable ({e.Message}); start afresh with another --out.", e); }
            if (!JsonNode.DeepEquals(stored, wanted))
                throw new KitException($"{log.Folder} was started with other settings ({Difference(stored, wanted)}); resume with the same options, or start afresh with another --out.");
            log.ReadBack();
        }
        else
        {
            KitFiles.WriteAtomically(protocolPath, wanted.ToJsonString(KitJson.Options));
            File.WriteAllText(log.path, "");
            log.fresh = true;
        }
        return log;
    }

    /// <summary>
    /// For an experiment that failed before finishing any run (its data refused, torch or weights missing): when this
    /// journal was started fresh and holds no run, removes what <see cref="Open"/> wrote (<c>run.json</c>, the empty
    /// <c>runs.jsonl</c>), so the folder is not left looking like an experiment to resume. Returns whether it did.
    /// A resumed journal, or one with runs, is kept.
    /// </summary>
    public bool DiscardIfEmpty()
    {
        if (!fresh || runs.Count > 0) return false;
        File.Delete(path);
        File.Delete(Path.Combine(Folder, ProtocolFileName));
        return true;
    }

    /// <summary>The finished run stored under <paramref name="key"/>, if any.</summary>
    public bool TryGet(string key, out JsonObject run) => runs.TryGetValue(key, out run!);

    /// <summary>Appends a finished run under <paramref name="key"/> and forces it to disk before returning.</summary>
    public void Append(string key, object run)
    {
        var node = JsonNode.Parse(KitJson.SerializeLine(run))!.AsObject();
        node["key"] = key;
        var bytes = Encoding.UTF8.GetBytes(node.ToJsonString(new JsonSerializerOptions(KitJson.Options) { WriteIndented = false }) + "\n");
        lock (appending)
        {
            using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        runs[key] = node;
    }

    /// <summary>
    /// For a process about to end at once (a second Ctrl-C): waits up to <paramref name="timeout"/> for a line being
    /// appended to any journal to be written whole and flushed, then blocks every later append (the calling thread keeps
    /// the lock until the process ends), so no journal is left with a torn last line. Returns false when the wait timed out.
    /// </summary>
    public static bool StopAppending(TimeSpan timeout) => appending.TryEnter(timeout);

    void ReadBack()
    {
        if (!File.Exists(path)) return;
        var notices = new List<string>();
        var lineOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = File.ReadAllText(path).Split('\n');
        long lineStart = 0, tornAt = -1;
        for (int i = 0; i < lines.Length; lineStart += Encoding.UTF8.GetByteCount(lines[i]) + 1, i++)
        {
            var line = lines[i];
            bool last = i == lines.Length - 1 || (i == lines.Length - 2 && lines[^1].Length == 0);
            if (line.Length == 0) continue;
            JsonObject? run = null;
            try { run = JsonNode.Parse(line) as JsonObject; }
            catch (JsonException) { }
            if (run?["key"] is not JsonValue keyValue || !keyValue.TryGetValue<string>(out var key))
            {
                if (!last) throw new KitException($"{path}: line {i + 1} is not a run record (the journal was edited or damaged); start afresh with another --out.");
                notices.Add($"{path}: the last line is incomplete (a run was interrupted while it was being written); it is dropped and that run is done again.");
                tornAt = lineStart;
                break;
            }
            if (runs.TryGetValue(key, out var earlier))
            {
                // Two records of one run: the same record twice (a copy, a merge) is one run; two different ones cannot
                // both be true, and taking either would put a value nobody can vouch for into the results.
                if (!JsonNode.DeepEquals(earlier, run))
                {
                    var (at, first, second) = FirstDifference(earlier, run);
                    throw new KitException($"{path}: lines {lineOf[key]} and {i + 1} are both records of run '{key}', and they differ ({at}: "
                        + $"{first} on line {lineOf[key]}, {second} on line {i + 1}); the journal was edited, or merged from two runs. Delete "
                        + "the line that is wrong and resume again, or start afresh with another --out.");
                }
                notices.Add($"{path}: line {i + 1} repeats line {lineOf[key]} (run '{key}') exactly; it is counted once.");
            }
            else
            {
                runs[key] = run;
                lineOf[key] = i + 1;
            }
        }
        if (tornAt >= 0)
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write)) stream.SetLength(tornAt);
        Resumed = runs.Count;
        Notices = notices;
    }

    /// <summary>The first difference, as "settings.epochs: was 4, now 3".</summary>
    static string Difference(JsonNode? stored, JsonNode? wanted)
    {
        var (at, was, now) = FirstDifference(stored, wanted);
        return $"{(at.Length == 0 ? "protocol" : at)}: was {was}, now {now}";
    }

    /// <summary>Where two JSON values first differ (a dotted path; array items as [i]) and the two values there, shortened.</summary>
    static (string At, string First, string Second) FirstDifference(JsonNode? first, JsonNode? second, string at = "")
    {
        if (first is JsonObject a && second is JsonObject b)
            foreach (var name in a.Select(p => p.Key).Union(b.Select(p => p.Key)))
                if (!JsonNode.DeepEquals(a[name], b[name]))
                    return FirstDifference(a[name], b[name], at.Length == 0 ? name : $"{at}.{name}");
        if (first is JsonArray x && second is JsonArray y && x.Count == y.Count)
            for (int i = 0; i < x.Count; i++)
                if (!JsonNode.DeepEquals(x[i], y[i]))
                    return FirstDifference(x[i], y[i], $"{at}[{i}]");
        return (at, Shown(first), Shown(second));
    }

    static string Shown(JsonNode? value)
    {
        var text = value?.ToJsonString() ?? "absent";
        return text.Length <= 80 ? text : text[..77] + "...";
    }
}
