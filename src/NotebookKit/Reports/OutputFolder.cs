using System.Globalization;

namespace NotebookKit.Reports;

/// <summary>
/// A run's output folder, claimed before any work starts: created if needed, checked writable (so a wrong <c>--out</c>
/// fails in a second, not after an hour of training), locked against a second run writing into it at the same time
/// (<c>.nbkit.lock</c>, released by the system even if the process is killed), and swept of temporary files that an
/// interrupted earlier run left behind.
/// </summary>
public sealed class OutputFolder : IDisposable
{
    /// <summary>The lock file's name.</summary>
    public const string LockFileName = ".nbkit.lock";

    readonly FileStream lockFile;
    bool released;

    OutputFolder(string path, FileStream lockFile, bool created)
    {
        Path = path;
        this.lockFile = lockFile;
        Created = created;
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>Whether <see cref="Claim"/> created the folder (it did not exist before).</summary>
    public bool Created { get; }

    /// <summary>Claims <paramref name="folder"/> for this process.</summary>
    /// <exception cref="KitException">It cannot be created or written, or another run holds it.</exception>
    public static OutputFolder Claim(string folder)
    {
        var full = System.IO.Path.GetFullPath(folder);
        bool created = !Directory.Exists(full);
        try
        {
            Directory.CreateDirectory(full);
            var probe = System.IO.Path.Combine(full, $".nbkit-write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KitException($"{full}: cannot write the results there ({e.Message}). Choose another folder with --out, or fix its permissions.", e);
        }

        var lockPath = System.IO.Path.Combine(full, LockFileName);
        FileStream stream;
        try { stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
        catch (IOException e)
        {
            string holder = "";
            try { holder = File.ReadAllText(lockPath + ".owner").Trim(); } catch (IOException) { }
            throw new KitException($"{full}: another nbkit run is writing there{(holder.Length > 0 ? $" ({holder})" : "")}. Wait for it to finish, or choose another --out.", e);
        }
        // Who holds it, for the message a second run prints (the lock file itself cannot be read while it is held).
        File.WriteAllText(lockPath + ".owner", string.Create(CultureInfo.InvariantCulture, $"process {Environment.ProcessId} since {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC"));
        KitFiles.SweepTemporaries(full);
        return new OutputFolder(full, stream, created);
    }

    /// <summary>Releases the folder (again: nothing).</summary>
    public void Dispose()
    {
        if (released) return;
        released = true;
        try { File.Delete(System.IO.Path.Combine(Path, LockFileName + ".owner")); } catch (IOException) { }
        try { File.Delete(System.IO.Path.Combine(Path, LockFileName)); } catch (IOException) { }
        lockFile.Dispose();
    }

    /// <summary>
    /// Releases the folder after a run that produced nothing: if <see cref="Claim"/> created it and it is empty now, it is
    /// removed too, so a refused run leaves no trace.
    /// </summary>
    public void Abandon()
    {
        Dispose();
        try { if (Created && !Directory.EnumerateFileSystemEntries(Path).Any()) Directory.Delete(Path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // someone else's file appeared: keep it
    }
}
