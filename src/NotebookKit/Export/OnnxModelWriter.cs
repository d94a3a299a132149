namespace NotebookKit.Export;

/// <summary>
/// Serializes an <see cref="OnnxGraphBuilder"/> as an ONNX <c>ModelProto</c>. Field numbers follow onnx.proto:
/// ModelProto ir_version = 1, producer_name = 2, producer_version = 3, doc_string = 6, graph = 7, opset_import = 8,
/// metadata_props = 14; GraphProto node = 1, name = 2, initializer = 5, input = 11, output = 12; NodeProto input = 1,
/// output = 2, name = 3, op_type = 4, attribute = 5; AttributeProto name = 1, f = 2, i = 3, ints = 8, type = 20;
/// TensorProto dims = 1, data_type = 2, name = 8, raw_data = 9; ValueInfoProto name = 1, type = 2; TypeProto
/// tensor_type = 1 (elem_type = 1, shape = 2; dim = 1: dim_value = 1, dim_param = 2).
/// Weights are written straight to the stream, not copied into one big message.
/// </summary>
static class OnnxModelWriter
{
    /// <summary>The lowest and highest opsets the exporter writes (the operators it uses are the same in all of them).</summary>
    public const int MinOpset = 13, MaxOpset = 21;

    /// <summary>The IR version that goes with an opset (onnx/docs/Versioning.md): the oldest one that knows it, for the widest reach.</summary>
    public static int IrVersionFor(int opset) => opset switch
    {
        <= 14 => 7,
        <= 18 => 8,
        <= 20 => 9,
        _ => 10,
    };

    /// <summary>Writes the model.</summary>
    public static void Write(Stream stream, OnnxGraphBuilder graph, int opset, IReadOnlyDictionary<string, string> metadata, string producerVersion, string docString)
    {
        if (opset is < MinOpset or > MaxOpset) throw new ArgumentOutOfRangeException(nameof(opset), opset, $"The exporter writes opsets {MinOpset} to {MaxOpset}.");
        var head = new ProtoWriter()
            .Varint(1, IrVersionFor(opset))
            .String(2, "NotebookKit")
            .String(3, producerVersion)
            .String(6, docString)
            .Message(8, new ProtoWriter().String(1, "").Varint(2, opset));
        foreach (var (key, value) in metadata) head.Message(14, new ProtoWriter().String(1, key).String(2, value));
        stream.Write(head.ToArray());

        // GraphProto, streamed: small parts serialized, each initializer's raw data written in place.
        var parts = new List<(int Field, byte[] Bytes, OnnxInitializerSpec? Weights)>();
        foreach (var node in graph.Nodes) parts.Add((1, Node(node).ToArray(), null));
        parts.Add((2, System.Text.Encoding.UTF8.GetBytes(graph.Name), null));
        foreach (var initializer in graph.Initializers)
            parts.Add((5, new ProtoWriter().PackedVarints(1, initializer.Dims).Varint(2, (int)initializer.Type).String(8, initializer.Name).ToArray(), initializer));
        foreach (var input in graph.Inputs) parts.Add((11, ValueInfo(input).ToArray(), null));
        foreach (var output in graph.Outputs) parts.Add((12, ValueInfo(output).ToArray(), null));

        static long Length((int Field, byte[] Bytes, OnnxInitializerSpec? Weights) part) =>
            part.Bytes.Length + (part.Weights is null ? 0 : ProtoWriter.FieldSize(9, part.Weights.Bytes.Length));
        ProtoWriter.LengthPrefix(stream, 7, parts.Sum(p => ProtoWriter.FieldSize(p.Field, Length(p))));
        foreach (var part in parts)
        {
            ProtoWriter.LengthPrefix(stream, part.Field, Length(part));
            stream.Write(part.Bytes);
            if (part.Weights is null) continue;
            ProtoWriter.LengthPrefix(stream, 9, part.Weights.Bytes.Length);
            stream.Write(part.Weights.Bytes);
        }
    }

    static ProtoWriter Node(OnnxNodeSpec node)
    {
        var writer = new ProtoWriter();
        foreach (var input in node.Inputs) writer.String(1, input);
        foreach (var output in node.Outputs) writer.String(2, output);
        writer.String(3, node.Name).String(4, node.OpType);
        foreach (var attribute in node.Attributes) writer.Message(5, Attribute(attribute));
        return writer;
    }

    static ProtoWriter Attribute(OnnxAttribute attribute)
    {
        // AttributeProto.AttributeType: FLOAT = 1, INT = 2, INTS = 7.
        var writer = new ProtoWriter().String(1, attribute.Name);
        if (attribute.Float is { } f) return writer.Float(2, f).Varint(20, 1);
        if (attribute.Int is { } i) return writer.Varint(3, i).Varint(20, 2);
        if (attribute.Ints is { } ints) return writer.PackedVarints(8, ints).Varint(20, 7);
        throw new InvalidOperationException($"Attribute '{attribute.Name}' has no value.");
    }

    static ProtoWriter ValueInfo(OnnxValueInfo value)
    {
        var shape = new ProtoWriter();
        foreach (var dim in value.Dims)
            shape.Message(1, dim switch
            {
                string symbol => new ProtoWriter().String(2, symbol),
                _ => new ProtoWriter().Varint(1, Convert.ToInt64(dim, System.Globalization.CultureInfo.InvariantCulture)),
            });
        var tensorType = new ProtoWriter().Varint(1, (int)value.Type).Message(2, shape);
        return new ProtoWriter().String(1, value.Name).Message(2, new ProtoWriter().Message(1, tensorType));
    }
}
