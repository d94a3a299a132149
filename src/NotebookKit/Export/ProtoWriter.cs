using System.Buffers.Binary;
using System.Text;

namespace NotebookKit.Export;

/// <summary>
/// The protobuf wire format, as much as ONNX needs: varints, 32-bit floats and length-delimited fields
/// (strings, bytes, nested messages, packed repeated numbers). The counterpart of the reader in
/// <see cref="Models.Weights.OnnxGraph"/>. A message is built in memory and written as bytes; the large
/// tensors are written by <see cref="OnnxModelWriter"/> straight to the file.
/// </summary>
sealed class ProtoWriter
{
    readonly MemoryStream buffer = new();

    /// <summary>The message written so far.</summary>
    public byte[] ToArray() => buffer.ToArray();

    /// <summary>A varint field (int32, int64, enum, bool).</summary>
    public ProtoWriter Varint(int field, long value)
    {
        Tag(buffer, field, wire: 0);
        WriteVarint(buffer, (ulong)value);
        return this;
    }

    /// <summary>A 32-bit float field (wire type 5).</summary>
    public ProtoWriter Float(int field, float value)
    {
        Tag(buffer, field, wire: 5);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        buffer.Write(bytes);
        return this;
    }

    /// <summary>A string field (UTF-8).</summary>
    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>A bytes field, or a nested message already serialized.</summary>
    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        LengthPrefix(buffer, field, value.Length);
        buffer.Write(value);
        return this;
    }

    /// <summary>A nested message.</summary>
    public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

    /// <summary>A packed repeated varint field (e.g. <c>repeated int64 dims</c>, <c>ints</c>).</summary>
    public ProtoWriter PackedVarints(int field, IEnumerable<long> values)
    {
        var packed = new MemoryStream();
        foreach (var value in values) WriteVarint(packed, (ulong)value);
        return Bytes(field, packed.ToArray());
    }

    /// <summary>Writes a field's key and length: what precedes a length-delimited value written separately.</summary>
    public static void LengthPrefix(Stream stream, int field, long length)
    {
        Tag(stream, field, wire: 2);
        WriteVarint(stream, (ulong)length);
    }

    /// <summary>The size of <see cref="LengthPrefix"/>'s output plus the value: what a length-delimited field occupies.</summary>
    public static long FieldSize(int field, long length) => VarintSize((ulong)(field << 3 | 2)) + VarintSize((ulong)length) + length;

    static void Tag(Stream stream, int field, int wire) => WriteVarint(stream, (ulong)(field << 3 | wire));

    static void WriteVarint(Stream stream, ulong value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        stream.WriteByte((byte)value);
    }

    static int VarintSize(ulong value)
    {
        int size = 1;
        while (value >= 0x80) { value >>= 7; size++; }
        return size;
    }
}
