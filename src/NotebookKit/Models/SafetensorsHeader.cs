using System.Buffers.Binary;
using System.Text.Json;

namespace NotebookKit.Models;

/// <summary>
/// Checks a <c>.safetensors</c> file's header before any tensor is read, as the format requires (huggingface/safetensors):
/// an 8-byte little-endian header length within the file, a JSON object whose entries each have a known <c>dtype</c>, a
/// <c>shape</c> of non-negative sizes and <c>data_offsets</c> [begin, end] spanning exactly dtype size x elements, and
/// together the offsets cover the data buffer with no overlap and no hole. A file that breaks any of these is refused,
/// naming the file and the tensor, instead of being read into weights that alias or run past the data.
/// </summary>
public static class SafetensorsHeader
{
    /// <summary>The format's own limit on the header (100 MB).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    static readonly Dictionary<string, int> ElementSizes = new(StringComparer.Ordinal)
    {
        ["BOOL"] = 1, ["U8"] = 1, ["I8"] = 1, ["F8_E5M2"] = 1, ["F8_E4M3"] = 1,
        ["I16"] = 2, ["U16"] = 2, ["F16"] = 2, ["BF16"] = 2,
        ["I32"] = 4, ["U32"] = 4, ["F32"] = 4,
        ["I64"] = 8, ["U64"] = 8, ["F64"] = 8,
    };

    /// <summary>One tensor as the header describes it.</summary>
    /// <param name="Name">Its key.</param>
    /// <param name="DType">Its safetensors dtype (F32, I64...).</param>
    /// <param name="Shape">Its sizes.</param>
    /// <param name="Begin">First byte in the data buffer.</param>
    /// <param name="End">One past its last byte.</param>
    public sealed record Entry(string Name, string DType, long[] Shape, long Begin, long End);

    /// <summary>Reads and checks the header of <paramref name="path"/>; returns its tensors in file order.</summary>
    /// <exception cref="WeightsFormatException">The header breaks the format; the message names the file, the tensor and the rule.</exception>
    public static IReadOnlyList<Entry> Check(string path)
    {
        using var file = File.OpenRead(path);
        long length = file.Length;
        Span<byte> prefix = stackalloc byte[8];
        if (length < 8 || file.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8)
            throw Damaged(path, $"{length} bytes, shorter than the 8-byte header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength < 2 || headerLength > MaxHeaderBytes || headerLength > (ulong)(length - 8))
            throw Damaged(path, $"its header length ({headerLength} bytes) does not fit the file ({length} bytes; the format allows at most {MaxHeaderBytes})");
        var header = new byte[headerLength];
        file.ReadExactly(header);
        long dataLength = length - 8 - (long)headerLength;

        JsonDocument json;
        try { json = JsonDocument.Parse(header); }
        catch (JsonException e) { throw Damaged(path, $"its header is not valid JSON ({e.Message})"); }
        using (json)
        {
            if (json.RootElement.ValueKind != JsonValueKind.Object) throw Damaged(path, "its header is not a JSON object");
            var entries = new List<Entry>();
            foreach (var property in json.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__") continue;
                entries.Add(Parse(path, property.Name, property.Value, dataLength));
            }
            CheckLayout(path, entries, dataLength);
            return entries;
        }
    }

    static Entry Parse(string path, string name, JsonElement value, long dataLength)
    {
        if (value.ValueKind != JsonValueKind.Object) throw Damaged(path, $"tensor '{name}' is not described by an object");
        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
            || !ElementSizes.TryGetValue(dtypeElement.GetString()!, out int elementSize))
            throw Damaged(path, $"tensor '{name}' has dtype {(value.TryGetProperty("dtype", out var d) ? d.GetRawText() : "(none)")}, expected one of {string.Join(", ", ElementSizes.Keys)}");
        var dtype = dtypeElement.GetString()!;
        if (!value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw Damaged(path, $"tensor '{name}' has no shape array");
        var shape = new List<long>();
        long bytes = elementSize;
        foreach (var size in shapeElement.EnumerateArray())
        {
            if (size.ValueKind != JsonValueKind.Number || !size.TryGetInt64(out long s) || s < 0)
                throw Damaged(path, $"tensor '{name}' has shape {shapeElement.GetRawText()}: sizes must be whole numbers of 0 or more");
            shape.Add(s);
            try { bytes = checked(bytes * s); }
            catch (OverflowException) { throw Damaged(path, $"tensor '{name}' has shape {shapeElement.GetRawText()}, too large for any file"); }
        }
        if (!value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2
            || offsets[0].ValueKind != JsonValueKind.Number || offsets[1].ValueKind != JsonValueKind.Number
            || !offsets[0].TryGetInt64(out long begin) || !offsets[1].TryGetInt64(out long end))
            throw Damaged(path, $"tensor '{name}' has no data_offsets [begin, end]");
        if (begin < 0 || end < begin || end > dataLength)
            throw Damaged(path, $"tensor '{name}' has data_offsets [{begin}, {end}], outside the {dataLength}-byte data buffer");
        if (end - begin != bytes)
            throw Damaged(path, $"tensor '{name}' ({dtype} [{string.Join(", ", shape)}]) needs {bytes} bytes but its data_offsets [{begin}, {end}] span {end - begin}");
        return new Entry(name, dtype, [.. shape], begin, end);
    }

    /// <summary>In offset order, each tensor starts where the previous one ended, from 0 to the end of the data.</summary>
    static void CheckLayout(string path, List<Entry> entries, long dataLength)
    {
        long position = 0;
        string? previous = null;
        foreach (var entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End).ThenBy(e => e.Name, StringComparer.Ordinal))
        {
            if (entry.Begin < position)
                throw Damaged(path, $"tensors '{previous}' and '{entry.Name}' overlap (bytes {entry.Begin} to {Math.Min(position, entry.End)} of the data belong to both)");
            if (entry.Begin > position)
                throw Damaged(path, $"bytes {position} to {entry.Begin} of the data belong to no tensor (a hole before '{entry.Name}')");
            position = entry.End;
            previous = entry.Name;
        }
        if (position != dataLength)
            throw Damaged(path, $"the tensors cover {position} of the {dataLength} data bytes (the rest belongs to no tensor)");
    }

    static WeightsFormatException Damaged(string path, string problem) => new(
        $"{path}: not a valid safetensors file: {problem}. The file is damaged or was not written by a safetensors writer; download, export or train it again.");
}
