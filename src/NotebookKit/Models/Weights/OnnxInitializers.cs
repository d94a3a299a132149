using System.Text;

namespace NotebookKit.Models.Weights;

/// <summary>A float tensor stored in an ONNX graph.</summary>
public sealed record OnnxTensor(string Name, long[] Shape, float[] Values);

/// <summary>A node of an ONNX graph (what the importer needs: operator, inputs, outputs).</summary>
public sealed record OnnxNode(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs);

/// <summary>
/// Reads an ONNX model's nodes (in order) and float initializers with a minimal protobuf reader, enough to
/// import weights; nothing is executed. Field numbers follow onnx.proto (ModelProto.graph = 7, GraphProto.node = 1,
/// initializer = 5; NodeProto.input = 1, output = 2, op_type = 4; TensorProto.dims = 1, data_type = 2,
/// float_data = 4, name = 8, raw_data = 9).
/// </summary>
public sealed class OnnxGraph
{
    /// <summary>Nodes in graph order.</summary>
    public IReadOnlyList<OnnxNode> Nodes { get; }

    /// <summary>Float initializers by name.</summary>
    public IReadOnlyDictionary<string, OnnxTensor> Initializers { get; }

    OnnxGraph(List<OnnxNode> nodes, Dictionary<string, OnnxTensor> initializers)
    {
        Nodes = nodes;
        Initializers = initializers;
    }

    /// <summary>Reads <paramref name="path"/>.</summary>
    public static OnnxGraph Read(string path)
    {
        ReadOnlyMemory<byte> bytes = File.ReadAllBytes(path);
        try
        {
            var nodes = new List<OnnxNode>();
            var initializers = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
            foreach (var (field, model) in Fields(bytes))
            {
                if (field != 7) continue; // graph
                foreach (var (graphField, value) in Fields(model))
                {
                    if (graphField == 1) nodes.Add(ReadNode(value));
                    else if (graphField == 5 && ReadTensor(value) is { } tensor) initializers[tensor.Name] = tensor;
                }
            }
            if (nodes.Count == 0) throw new WeightsFormatException($"{path}: no graph nodes found; not an ONNX model.");
            return new OnnxGraph(nodes, initializers);
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException or OverflowException or InvalidDataException)
        {
            throw new WeightsFormatException($"{path}: corrupt ONNX file ({e.Message}).", e);
        }
    }

    static OnnxNode ReadNode(ReadOnlyMemory<byte> data)
    {
        var inputs = new List<string>();
        var outputs = new List<string>();
        string op = "";
        foreach (var (field, value) in Fields(data))
        {
            if (field == 1) inputs.Add(Encoding.UTF8.GetString(value.Span));
            else if (field == 2) outputs.Add(Encoding.UTF8.GetString(value.Span));
            else if (field == 4) op = Encoding.UTF8.GetString(value.Span);
        }
        return new OnnxNode(op, inputs, outputs);
    }

    static OnnxTensor? ReadTensor(ReadOnlyMemory<byte> data)
    {
        var dims = new List<long>();
        int dataType = 0;
        string name = "";
        float[]? values = null;
        foreach (var (field, value, varint) in FieldsWithVarints(data))
        {
            switch (field)
            {
                case 1 when value.IsEmpty: dims.Add((long)varint); break;
                case 1: dims.AddRange(PackedVarints(value.Span).Select(v => (long)v)); break;
                case 2: dataType = (int)varint; break;
                case 4: values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(value.Span).ToArray(); break;
                case 8: name = Encoding.UTF8.GetString(value.Span); break;
                case 9: values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(value.Span).ToArray(); break;
            }
        }
        if (dataType != 1 || values is null) return null; // only FLOAT tensors are weights here
        return new OnnxTensor(name, dims.ToArray(), values);
    }

    static IEnumerable<(int Field, ReadOnlyMemory<byte> Value)> Fields(ReadOnlyMemory<byte> data) =>
        AllFields(data).Where(f => f.Wire == 2).Select(f => (f.Field, f.Value));

    static IEnumerable<(int Field, ReadOnlyMemory<byte> Value, ulong Varint)> FieldsWithVarints(ReadOnlyMemory<byte> data) =>
        AllFields(data).Select(f => (f.Field, f.Value, f.Varint));

    static IEnumerable<(int Field, int Wire, ReadOnlyMemory<byte> Value, ulong Varint)> AllFields(ReadOnlyMemory<byte> data)
    {
        int position = 0;
        while (position < data.Length)
        {
            ulong key = ReadVarint(data.Span, ref position);
            int field = (int)(key >> 3), wire = (int)(key & 7);
            switch (wire)
            {
                case 0: yield return (field, wire, ReadOnlyMemory<byte>.Empty, ReadVarint(data.Span, ref position)); break;
                case 1: position += 8; break;
                case 2:
                    int length = checked((int)ReadVarint(data.Span, ref position));
                    if (position + length > data.Length) throw new InvalidDataException("a length-delimited field runs past the end");
                    yield return (field, wire, data.Slice(position, length), 0);
                    position += length;
                    break;
                case 5: position += 4; break;
                default: throw new InvalidDataException($"unsupported protobuf wire type {wire}");
            }
        }
    }

    static IEnumerable<ulong> PackedVarints(ReadOnlySpan<byte> data)
    {
        var result = new List<ulong>();
        int position = 0;
        while (position < data.Length) result.Add(ReadVarint(data, ref position));
        return result;
    }

    static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = data[position++];
            result |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new InvalidDataException("malformed varint");
    }
}
