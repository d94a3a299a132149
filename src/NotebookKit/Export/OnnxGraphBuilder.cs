using System.Runtime.InteropServices;

namespace NotebookKit.Export;

/// <summary>ONNX tensor element types the exporter uses (values of onnx.proto's <c>TensorProto.DataType</c>).</summary>
enum OnnxElementType
{
    Float = 1,
    UInt8 = 2,
    Int64 = 7,
}

/// <summary>An attribute of a node: one int, a list of ints, one float, or a type (for <c>Cast</c>, an int).</summary>
sealed record OnnxAttribute(string Name, long? Int = null, IReadOnlyList<long>? Ints = null, float? Float = null)
{
    public static OnnxAttribute Of(string name, long value) => new(name, Int: value);
    public static OnnxAttribute Of(string name, IReadOnlyList<long> values) => new(name, Ints: values);
    public static OnnxAttribute Of(string name, float value) => new(name, Float: value);
}

/// <summary>A graph input or output: name, element type, and dimensions (a number, or a name for a dynamic one).</summary>
sealed record OnnxValueInfo(string Name, OnnxElementType Type, IReadOnlyList<object> Dims);

/// <summary>A node: operator, inputs, outputs, attributes.</summary>
sealed record OnnxNodeSpec(string OpType, string Name, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, IReadOnlyList<OnnxAttribute> Attributes);

/// <summary>A constant tensor stored in the file (weights): float or int64 values.</summary>
sealed record OnnxInitializerSpec(string Name, OnnxElementType Type, long[] Dims, Array Values)
{
    /// <summary>The values as the little-endian bytes ONNX stores in <c>raw_data</c>.</summary>
    public ReadOnlySpan<byte> Bytes => Values switch
    {
        float[] f => MemoryMarshal.AsBytes(f.AsSpan()),
        long[] l => MemoryMarshal.AsBytes(l.AsSpan()),
        _ => throw new InvalidOperationException($"Constant '{Name}' holds {Values.GetType().Name}; float[] or long[] expected."),
    };
}

/// <summary>
/// An ONNX graph under construction: inputs, constants, nodes in topological order (each appended after its
/// inputs exist), outputs. Every value has one producer and a unique name; <see cref="OnnxModelWriter"/> writes it.
/// </summary>
sealed class OnnxGraphBuilder(string name)
{
    readonly List<OnnxNodeSpec> nodes = [];
    readonly List<OnnxInitializerSpec> initializers = [];
    readonly List<OnnxValueInfo> inputs = [];
    readonly List<OnnxValueInfo> outputs = [];
    readonly HashSet<string> values = new(StringComparer.Ordinal);

    public string Name { get; } = name;
    public IReadOnlyList<OnnxNodeSpec> Nodes => nodes;
    public IReadOnlyList<OnnxInitializerSpec> Initializers => initializers;
    public IReadOnlyList<OnnxValueInfo> Inputs => inputs;
    public IReadOnlyList<OnnxValueInfo> Outputs => outputs;

    /// <summary>The distinct operators used, sorted.</summary>
    public IReadOnlyList<string> Operators => nodes.Select(n => n.OpType).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>Declares a graph input; returns its name.</summary>
    public string Input(string input, OnnxElementType type, params object[] dims)
    {
        Claim(input);
        inputs.Add(new OnnxValueInfo(input, type, dims));
        return input;
    }

    /// <summary>A float constant; returns its name.</summary>
    public string Constant(string constant, float[] data, params long[] dims) =>
        AddInitializer(constant, OnnxElementType.Float, dims, data);

    /// <summary>An int64 constant; returns its name.</summary>
    public string Constant(string constant, long[] data, params long[] dims) =>
        AddInitializer(constant, OnnxElementType.Int64, dims, data);

    /// <summary>Appends a node with one output, named <paramref name="output"/> (default: the node's name); returns the output's name.</summary>
    public string Node(string opType, string node, IReadOnlyList<string> nodeInputs, IReadOnlyList<OnnxAttribute>? attributes = null, string? output = null)
    {
        foreach (var input in nodeInputs)
            if (input.Length > 0 && !values.Contains(input))
                throw new InvalidOperationException($"ONNX node '{node}' reads '{input}', which nothing has produced yet.");
        output ??= node;
        Claim(output);
        nodes.Add(new OnnxNodeSpec(opType, node, nodeInputs, [output], attributes ?? []));
        return output;
    }

    /// <summary>Declares <paramref name="value"/> (already produced) a graph output.</summary>
    public void Output(string value, OnnxElementType type, params object[] dims)
    {
        if (!values.Contains(value)) throw new InvalidOperationException($"ONNX output '{value}' is produced by no node.");
        outputs.Add(new OnnxValueInfo(value, type, dims));
    }

    /// <summary>Gives the value <paramref name="value"/> (produced by a node, read by none yet) the name <paramref name="newName"/>.</summary>
    public string Rename(string value, string newName)
    {
        if (value == newName) return value;
        int producer = nodes.FindIndex(n => n.Outputs.Contains(value));
        if (producer < 0) throw new InvalidOperationException($"ONNX value '{value}' is produced by no node.");
        if (nodes.Any(n => n.Inputs.Contains(value))) throw new InvalidOperationException($"ONNX value '{value}' is already read by a node; rename it before use.");
        Claim(newName);
        values.Remove(value);
        nodes[producer] = nodes[producer] with { Outputs = nodes[producer].Outputs.Select(o => o == value ? newName : o).ToList() };
        return newName;
    }

    string AddInitializer(string constant, OnnxElementType type, long[] dims, Array data)
    {
        long expected = dims.Aggregate(1L, (a, b) => a * b);
        if (expected != data.Length) throw new ArgumentException($"Constant '{constant}': {data.Length} values for shape [{string.Join("x", dims)}].");
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX stores tensors little-endian; this exporter runs on little-endian machines only.");
        Claim(constant);
        initializers.Add(new OnnxInitializerSpec(constant, type, dims, data));
        return constant;
    }

    void Claim(string value)
    {
        if (!values.Add(value)) throw new InvalidOperationException($"ONNX value name '{value}' is used twice in graph '{Name}'.");
    }
}
