using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace NotebookKit.Models;

/// <summary>A tensor storage a PyTorch pickle declares: its archive key, storage type and element count.</summary>
/// <param name="Key">The archive member that holds it (<c>data/KEY</c>).</param>
/// <param name="StorageType">The storage class name (<c>FloatStorage</c>, <c>UntypedStorage</c>, ...).</param>
/// <param name="Elements">Declared element count.</param>
sealed record DeclaredStorage(string Key, string StorageType, long Elements)
{
    /// <summary>Declared size in bytes (unknown storage types count as the widest, 16 bytes).</summary>
    public long Bytes => Elements > long.MaxValue / 16 ? long.MaxValue : Elements * StorageType switch
    {
        "DoubleStorage" or "LongStorage" or "ComplexFloatStorage" => 8,
        "FloatStorage" or "IntStorage" => 4,
        "HalfStorage" or "BFloat16Storage" or "ShortStorage" => 2,
        "CharStorage" or "ByteStorage" or "BoolStorage" or "UntypedStorage" => 1,
        _ => 16,
    };
}

/// <summary>
/// Walks a pickle (protocols 0-5) as data, never calling anything, to find the storages a <c>torch.save</c> file
/// declares through its persistent ids (<c>('storage', torch.FloatStorage, '0', 'cpu', numel)</c>). It only keeps the
/// stack and the memo, and refuses a pickle that would hold more than <see cref="MaxLiveObjects"/> of them at once, so
/// a hostile pickle cannot make it (or the unpickler run after it) use much memory.
/// </summary>
sealed class PickleScanner
{
    /// <summary>Most objects on the stack and in the memo at once. A state dict holds about ten per tensor.</summary>
    public const int MaxLiveObjects = 2_000_000;

    sealed record Global(string Module, string Name);
    sealed record Tuple(object?[] Items);
    sealed class Mark;
    sealed class Opaque { public static readonly Opaque Value = new(); }

    readonly byte[] data;
    int position;
    readonly List<object?> stack = [];
    readonly Stack<int> marks = new();
    readonly Dictionary<long, object?> memo = [];
    readonly Dictionary<string, DeclaredStorage> storages = new(StringComparer.Ordinal);

    PickleScanner(byte[] data) => this.data = data;

    /// <summary>The storages <paramref name="pickle"/> declares, by archive key.</summary>
    /// <exception cref="FormatException">Not a pickle the kit reads (the message says where and why).</exception>
    public static IReadOnlyDictionary<string, DeclaredStorage> Storages(byte[] pickle)
    {
        var scanner = new PickleScanner(pickle);
        scanner.Run();
        return scanner.storages;
    }

    void Run()
    {
        while (true)
        {
            if (position >= data.Length) throw Bad("the pickle ends without a STOP opcode (truncated)");
            int at = position;
            byte op = data[position++];
            switch (op)
            {
                case 0x2e: return; // STOP
                case 0x80: Take(1); break; // PROTO
                case 0x95: Take(8); break; // FRAME
                case 0x28: marks.Push(stack.Count); break; // MARK
                case 0x30: Pop(); break; // POP
                case 0x31: PopMark(); break; // POP_MARK
                case 0x32: Push(Peek()); break; // DUP
                case 0x4e: Push(null); break; // NONE
                case 0x88: Push(true); break; // NEWTRUE
                case 0x89: Push(false); break; // NEWFALSE
                case 0x4a: Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break; // BININT
                case 0x4b: Push((long)Take(1)[0]); break; // BININT1
                case 0x4d: Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break; // BININT2
                case 0x8a: Push(Long(Take(Take(1)[0]))); break; // LONG1
                case 0x8b: Push(Long(Take(Length(4)))); break; // LONG4
                case 0x49: Push(IntLine(Line())); break; // INT
                case 0x4c: Push(IntLine(Line().TrimEnd('L'))); break; // LONG
                case 0x46: Line(); Push(0.0); break; // FLOAT
                case 0x47: Take(8); Push(0.0); break; // BINFLOAT
                case 0x53: case 0x56: Push(Line()); break; // STRING, UNICODE (the value's exact text does not matter here)
                case 0x54: Push(Encoding.Latin1.GetString(Take(Length(4)))); break; // BINSTRING
                case 0x55: Push(Encoding.Latin1.GetString(Take(Take(1)[0]))); break; // SHORT_BINSTRING
                case 0x58: Push(Utf8(Take(Length(4)))); break; // BINUNICODE
                case 0x8c: Push(Utf8(Take(Take(1)[0]))); break; // SHORT_BINUNICODE
                case 0x8d: Push(Utf8(Take(Length(8)))); break; // BINUNICODE8
                case 0x42: Take(Length(4)); Push(Opaque.Value); break; // BINBYTES
                case 0x43: Take(Take(1)[0]); Push(Opaque.Value); break; // SHORT_BINBYTES
                case 0x8e: case 0x96: Take(Length(8)); Push(Opaque.Value); break; // BINBYTES8, BYTEARRAY8
                case 0x29: Push(new Tuple([])); break; // EMPTY_TUPLE
                case 0x85: Push(new Tuple([Pop()])); break; // TUPLE1
                case 0x86: { var b = Pop(); var a = Pop(); Push(new Tuple([a, b])); break; } // TUPLE2
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new Tuple([a, b, c])); break; } // TUPLE3
                case 0x74: Push(new Tuple(PopMark())); break; // TUPLE
                case 0x5d: case 0x7d: case 0x8f: Push(Opaque.Value); break; // EMPTY_LIST, EMPTY_DICT, EMPTY_SET
                case 0x6c: case 0x64: case 0x91: PopMark(); Push(Opaque.Value); break; // LIST, DICT, FROZENSET
                case 0x61: Pop(); Peek(); break; // APPEND
                case 0x65: case 0x75: case 0x90: PopMark(); Peek(); break; // APPENDS, SETITEMS, ADDITEMS
                case 0x73: Pop(); Pop(); Peek(); break; // SETITEM
                case 0x62: Pop(); Peek(); break; // BUILD
                case 0x63: Push(new Global(Line(), Line())); break; // GLOBAL
                case 0x93: { var name = Pop(); var module = Pop(); Push(new Global(module as string ?? "?", name as string ?? "?")); break; } // STACK_GLOBAL
                case 0x52: Pop(); Pop(); Push(Opaque.Value); break; // REDUCE
                case 0x81: Pop(); Pop(); Push(Opaque.Value); break; // NEWOBJ
                case 0x92: Pop(); Pop(); Pop(); Push(Opaque.Value); break; // NEWOBJ_EX
                case 0x69: Line(); Line(); PopMark(); Push(Opaque.Value); break; // INST
                case 0x6f: PopMark(); Push(Opaque.Value); break; // OBJ
                case 0x51: Persistent(Pop()); Push(Opaque.Value); break; // BINPERSID
                case 0x50: Line(); Push(Opaque.Value); break; // PERSID
                case 0x70: Memo(long.Parse(Line(), CultureInfo.InvariantCulture)); break; // PUT
                case 0x71: Memo(Take(1)[0]); break; // BINPUT
                case 0x72: Memo(BinaryPrimitives.ReadUInt32LittleEndian(Take(4))); break; // LONG_BINPUT
                case 0x94: Memo(memo.Count); break; // MEMOIZE
                case 0x67: Push(Recall(long.Parse(Line(), CultureInfo.InvariantCulture))); break; // GET
                case 0x68: Push(Recall(Take(1)[0])); break; // BINGET
                case 0x6a: Push(Recall(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))); break; // LONG_BINGET
                default: throw Bad($"opcode 0x{op:x2} at byte {at} is not one a state dict uses");
            }
        }
    }

    void Persistent(object? pid)
    {
        // torch.save: ('storage', storage_type, key, location, numel)
        if (pid is Tuple { Items: ["storage", Global type, string key, _, long numel, ..] })
        {
            var declared = new DeclaredStorage(key, type.Name, numel);
            if (numel < 0) throw Bad($"storage '{key}' declares {numel} elements");
            if (!storages.TryGetValue(key, out var seen) || seen.Bytes < declared.Bytes) storages[key] = declared;
        }
    }

    void Push(object? value)
    {
        stack.Add(value);
        if (stack.Count + memo.Count > MaxLiveObjects)
            throw Bad($"it holds more than {MaxLiveObjects:N0} objects at once; a state dict holds about ten per tensor");
    }

    object? Pop()
    {
        if (stack.Count == 0 || (marks.Count > 0 && marks.Peek() == stack.Count)) throw Bad($"stack underflow at byte {position - 1}");
        var value = stack[^1];
        stack.RemoveAt(stack.Count - 1);
        return value;
    }

    object? Peek() => stack.Count == 0 ? throw Bad($"stack underflow at byte {position - 1}") : stack[^1];

    object?[] PopMark()
    {
        if (marks.Count == 0) throw Bad($"no MARK before byte {position - 1}");
        int start = marks.Pop();
        var items = stack.GetRange(start, stack.Count - start).ToArray();
        stack.RemoveRange(start, stack.Count - start);
        return items;
    }

    void Memo(long index)
    {
        memo[index] = Peek();
        if (stack.Count + memo.Count > MaxLiveObjects)
            throw Bad($"it holds more than {MaxLiveObjects:N0} objects at once; a state dict holds about ten per tensor");
    }

    object? Recall(long index) => memo.TryGetValue(index, out var value) ? value : throw Bad($"memo entry {index} is read before it is written");

    ReadOnlySpan<byte> Take(long count)
    {
        if (count < 0 || count > data.Length - position) throw Bad($"a value at byte {position} runs past the end of the pickle (truncated)");
        var span = data.AsSpan(position, (int)count);
        position += (int)count;
        return span;
    }

    long Length(int bytes) => bytes == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(Take(4)) : BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    string Line()
    {
        int end = Array.IndexOf(data, (byte)'\n', position);
        if (end < 0) throw Bad($"a text value at byte {position} has no end of line (truncated)");
        var text = Encoding.Latin1.GetString(data, position, end - position);
        position = end + 1;
        return text;
    }

    static long Long(ReadOnlySpan<byte> littleEndian) =>
        littleEndian.Length == 0 ? 0 : littleEndian.Length > 8 ? long.MaxValue : (long)new System.Numerics.BigInteger(littleEndian, isUnsigned: false, isBigEndian: false);

    static object IntLine(string text) => text switch
    {
        "00" => false,
        "01" => true,
        _ => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : long.MaxValue,
    };

    static string Utf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    FormatException Bad(string why) => new($"not a plain PyTorch state dict pickle: {why}");
}
