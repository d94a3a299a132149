namespace NotebookKit.Downloads;

/// <summary>Bytes received so far of a file (total when the server says).</summary>
public readonly record struct DownloadProgress(string FileName, long Received, long? Total);

/// <summary>A download that did not produce a verified file. The message names the file, the URL and the fix.</summary>
public sealed class DownloadException(string message, Exception? inner = null) : KitException(message, inner)
{
    /// <inheritdoc/>
    public override int ExitCode => 1;
}
