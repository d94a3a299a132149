using System.Buffers.Binary;
using System.Text;

namespace NotebookKit.Runtime;

/// <summary>
/// A reader for the parts of a 64-bit little-endian ELF shared library that symbol versioning uses:
/// the version needs (<c>.gnu.version_r</c>), version definitions (<c>.gnu.version_d</c>) and the
/// dynamic symbols with their version indices. Only the ranges it needs are read from disk.
/// </summary>
public sealed class ElfFile
{
    const uint ShtDynSym = 11;
    const uint ShtGnuVerDef = 0x6ffffffd;
    const uint ShtGnuVerNeed = 0x6ffffffe;
    const uint ShtGnuVerSym = 0x6fffffff;

    /// <summary>The file this was read from.</summary>
    public string Path { get; }

    /// <summary>Versions this library needs from others, one entry per (file, version).</summary>
    public IReadOnlyList<ElfVersionNeed> VersionNeeds { get; }

    /// <summary>Version names this library defines (what a libstdc++ provides, for example).</summary>
    public IReadOnlyList<string> VersionDefinitions { get; }

    /// <summary>Dynamic symbols with the version index they are bound to.</summary>
    public IReadOnlyList<ElfDynamicSymbol> DynamicSymbols { get; }

    ElfFile(string path, IReadOnlyList<ElfVersionNeed> needs, IReadOnlyList<string> definitions, IReadOnlyList<ElfDynamicSymbol> symbols)
    {
        Path = path;
        VersionNeeds = needs;
        VersionDefinitions = definitions;
        DynamicSymbols = symbols;
    }

    /// <summary>Reads the versioning tables of <paramref name="path"/>.</summary>
    /// <exception cref="ElfFormatException">The file is not a 64-bit little-endian ELF file, or its tables are inconsistent.</exception>
    public static ElfFile Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var reader = new RangeReader(stream, path);

        var magic = reader.Read(0, (ulong)Math.Min(4, stream.Length));
        if (magic.Length < 4 || magic[0] != 0x7f || magic[1] != 'E' || magic[2] != 'L' || magic[3] != 'F')
            throw new ElfFormatException(path, "not an ELF file (bad magic number)");
        var ident = reader.Read(0, 64);
        if (ident[4] != 2)
            throw new ElfFormatException(path, $"only 64-bit ELF files are supported (EI_CLASS is {ident[4]})");
        if (ident[5] != 1)
            throw new ElfFormatException(path, $"only little-endian ELF files are supported (EI_DATA is {ident[5]})");

        var header = ident.AsSpan();
        ulong sectionTableOffset = U64(header, 0x28);
        int sectionEntrySize = U16(header, 0x3A);
        int sectionCount = U16(header, 0x3C);
        if (sectionTableOffset == 0 || sectionCount == 0)
            throw new ElfFormatException(path, "the file has no section headers");
        if (sectionEntrySize < 64)
            throw new ElfFormatException(path, $"section header size {sectionEntrySize} is smaller than 64");

        var table = reader.Read(sectionTableOffset, (ulong)sectionEntrySize * (ulong)sectionCount);
        var sections = new Section[sectionCount];
        for (int i = 0; i < sectionCount; i++)
        {
            var s = table.AsSpan(i * sectionEntrySize, sectionEntrySize);
            sections[i] = new Section(U32(s, 0x04), U64(s, 0x18), U64(s, 0x20), U32(s, 0x28), U32(s, 0x2C));
        }


        var needs = new List<ElfVersionNeed>();
        var definitions = new List<string>();
        var symbols = new List<ElfDynamicSymbol>();

        foreach (var section in sections)
        {
            if (section.Type == ShtGnuVerNeed)
                needs.AddRange(ReadNeeds(reader, section, StringTable(reader, sections, section)));
            else if (section.Type == ShtGnuVerDef)
                definitions.AddRange(ReadDefinitions(reader, section, StringTable(reader, sections, section)));
        }

        var dynsym = Array.Find(sections, s => s.Type == ShtDynSym);
        var versym = Array.Find(sections, s => s.Type == ShtGnuVerSym);
        if (dynsym.Type == ShtDynSym)
            symbols.AddRange(ReadSymbols(reader, dynsym, versym.Type == ShtGnuVerSym ? versym : null, StringTable(reader, sections, dynsym)));

        return new ElfFile(path, needs, definitions, symbols);
    }

    static byte[] StringTable(RangeReader reader, Section[] sections, Section owner)
    {
        if (owner.Link >= sections.Length)
            throw new ElfFormatException(reader.Path, $"section link {owner.Link} is out of range");
        var strings = sections[owner.Link];
        return reader.Read(strings.Offset, strings.Size);
    }

    static List<ElfVersionNeed> ReadNeeds(RangeReader reader, Section section, byte[] strings)
    {
        var data = reader.Read(section.Offset, section.Size);
        var result = new List<ElfVersionNeed>();
        long entry = 0;
        for (uint n = 0; n < section.Info; n++)
        {
            Check(reader.Path, entry, 16, data.Length, "version need");
            var vn = data.AsSpan((int)entry);
            int count = U16(vn, 2);
            string file = CString(reader.Path, strings, U32(vn, 4));
            long aux = entry + U32(vn, 8);
            for (int a = 0; a < count; a++)
            {
                Check(reader.Path, aux, 16, data.Length, "version need aux");
                var vna = data.AsSpan((int)aux);
                result.Add(new ElfVersionNeed(
                    File: file,
                    Name: CString(reader.Path, strings, U32(vna, 8)),
                    Flags: U16(vna, 4),
                    Index: U16(vna, 6),
                    FlagsFileOffset: (long)section.Offset + aux + 4));
                uint nextAux = U32(vna, 12);
                if (nextAux == 0) break;
                aux += nextAux;
            }
            uint next = U32(vn, 12);
            if (next == 0) break;
            entry += next;
        }
        return result;
    }

    static List<string> ReadDefinitions(RangeReader reader, Section section, byte[] strings)
    {
        var data = reader.Read(section.Offset, section.Size);
        var result = new List<string>();
        long entry = 0;
        for (uint n = 0; n < section.Info; n++)
        {
            Check(reader.Path, entry, 20, data.Length, "version definition");
            var vd = data.AsSpan((int)entry);
            long aux = entry + U32(vd, 12);
            Check(reader.Path, aux, 8, data.Length, "version definition aux");
            // The first aux entry names the version itself; later ones name its parents.
            result.Add(CString(reader.Path, strings, U32(data.AsSpan((int)aux), 0)));
            uint next = U32(vd, 16);
            if (next == 0) break;
            entry += next;
        }
        return result;
    }

    static List<ElfDynamicSymbol> ReadSymbols(RangeReader reader, Section dynsym, Section? versym, byte[] strings)
    {
        var data = reader.Read(dynsym.Offset, dynsym.Size);
        var versions = versym is { } v ? reader.Read(v.Offset, v.Size) : null;
        int count = data.Length / 24;
        var result = new List<ElfDynamicSymbol>(count);
        for (int i = 1; i < count; i++) // entry 0 is the reserved null symbol
        {
            var sym = data.AsSpan(i * 24, 24);
            int version = versions is not null && (i * 2 + 2) <= versions.Length ? U16(versions, i * 2) & 0x7fff : 1;
            result.Add(new ElfDynamicSymbol(CString(reader.Path, strings, U32(sym, 0)), version, IsDefined: U16(sym, 6) != 0));
        }
        return result;
    }

    static void Check(string path, long offset, int size, int length, string what)
    {
        if (offset < 0 || offset + size > length)
            throw new ElfFormatException(path, $"{what} entry at {offset} runs past the end of its section");
    }

    static string CString(string path, byte[] table, uint offset)
    {
        if (offset >= table.Length) throw new ElfFormatException(path, $"string offset {offset} is outside the string table");
        int end = Array.IndexOf(table, (byte)0, (int)offset);
        if (end < 0) end = table.Length;
        return Encoding.ASCII.GetString(table, (int)offset, end - (int)offset);
    }

    static ushort U16(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt16LittleEndian(s[at..]);
    static uint U32(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt32LittleEndian(s[at..]);
    static ulong U64(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt64LittleEndian(s[at..]);

    readonly record struct Section(uint Type, ulong Offset, ulong Size, uint Link, uint Info);

    sealed class RangeReader(FileStream stream, string path)
    {
        public string Path => path;

        public byte[] Read(ulong offset, ulong size)
        {
            if (size > int.MaxValue || offset + size > (ulong)stream.Length)
                throw new ElfFormatException(path, $"a table at offset {offset} (size {size}) runs past the end of the file ({stream.Length} bytes); the file is truncated or not an ELF library");
            var buffer = new byte[size];
            stream.Position = (long)offset;
            stream.ReadExactly(buffer);
            return buffer;
        }
    }
}

/// <summary>One version a library needs from another (an ELF <c>Vernaux</c> entry).</summary>
/// <param name="File">The library the version must come from, e.g. <c>libstdc++.so.6</c>.</param>
/// <param name="Name">The version, e.g. <c>GLIBCXX_3.4.32</c>.</param>
/// <param name="Flags">ELF flags; <see cref="WeakFlag"/> marks a version whose absence is not fatal.</param>
/// <param name="Index">The version index symbols refer to.</param>
/// <param name="FlagsFileOffset">Where the 16-bit flags field lives in the file.</param>
public sealed record ElfVersionNeed(string File, string Name, ushort Flags, ushort Index, long FlagsFileOffset)
{
    /// <summary><c>VER_FLG_WEAK</c>: the dynamic loader does not fail when this version is missing.</summary>
    public const ushort WeakFlag = 0x2;

    /// <summary>Whether the entry is marked weak.</summary>
    public bool IsWeak => (Flags & WeakFlag) != 0;
}

/// <summary>A dynamic symbol and the version index it is bound to.</summary>
public sealed record ElfDynamicSymbol(string Name, int VersionIndex, bool IsDefined);

/// <summary>The file is not an ELF library this reader understands.</summary>
public sealed class ElfFormatException(string path, string reason)
    : Exception($"{path}: {reason}.")
{
    /// <summary>The file that could not be read.</summary>
    public string FilePath { get; } = path;
}
