namespace NotebookKit.Runtime;

/// <summary>
/// Marks version needs of an ELF library weak (<c>VER_FLG_WEAK</c>), so that the dynamic loader
/// accepts a system library that lacks them. Writes atomically, keeps a backup of the original
/// next to it, and verifies the result by reading the written file again.
/// </summary>
public static class WeakVersionPatcher
{
    /// <summary>Suffix of the untouched copy kept beside a patched library.</summary>
    public const string BackupSuffix = ".nbkit-orig";

    /// <summary>
    /// Sets the weak flag on the version needs of <paramref name="path"/> named in <paramref name="versions"/>
    /// (needed from <paramref name="fromFile"/>). Entries already weak are left as they are.
    /// </summary>
    /// <returns>The names that were changed by this call (empty when there was nothing to do).</returns>
    public static IReadOnlyList<string> MarkWeak(string path, string fromFile, IReadOnlyCollection<string> versions)
    {
        var elf = ElfFile.Read(path);
        var targets = elf.VersionNeeds
            .Where(n => n.File == fromFile && versions.Contains(n.Name) && !n.IsWeak)
            .ToList();
        if (targets.Count == 0) return [];

        var bytes = File.ReadAllBytes(path);
        foreach (var need in targets)
        {
            ushort flags = (ushort)(need.Flags | ElfVersionNeed.WeakFlag);
            bytes[need.FlagsFileOffset] = (byte)(flags & 0xff);
            bytes[need.FlagsFileOffset + 1] = (byte)(flags >> 8);
        }

        string backup = path + BackupSuffix;
        if (!File.Exists(backup)) File.Copy(path, backup);

        string temp = $"{path}.nbkit-tmp-{Environment.ProcessId}";
        try
        {
            File.WriteAllBytes(temp, bytes);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, File.GetUnixFileMode(path));
            Verify(temp, fromFile, targets.Select(t => t.Name));
            File.Move(temp, path, overwrite: true); // rename: a reader never sees a half-written library
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        Verify(path, fromFile, targets.Select(t => t.Name));
        return targets.Select(t => t.Name).ToList();
    }

    static void Verify(string path, string fromFile, IEnumerable<string> versions)
    {
        var needs = ElfFile.Read(path).VersionNeeds;
        foreach (var name in versions)
        {
            if (!needs.Any(n => n.File == fromFile && n.Name == name && n.IsWeak))
                throw new InvalidOperationException($"{path}: after patching, {fromFile} {name} is not marked weak; the file was left unchanged.");
        }
    }
}
