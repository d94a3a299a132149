using System.Net;
using System.Net.Http.Headers;

namespace NotebookKit.Downloads;

/// <summary>
/// Downloads one file into a cache, safely: bytes go to <c>NAME.partial</c> first, an interrupted transfer
/// resumes from where it stopped (HTTP Range), the result is checked (size, checksum) and only then renamed
/// to <c>NAME</c>. A file that exists under its final name is therefore always complete and verified.
/// </summary>
public sealed class FileDownloader(HttpClient? http = null)
{
    static readonly Lazy<HttpClient> shared = new(() => new HttpClient { Timeout = Timeout.InfiniteTimeSpan });
    readonly HttpClient client = http ?? shared.Value;

    /// <summary>How long the server may stay silent before the transfer is abandoned (and can be resumed). Default 60 s.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Makes sure <paramref name="destination"/> holds the file at <paramref name="url"/>: returns at once when it
    /// already exists (and matches <paramref name="checksum"/>), else downloads, resuming a partial file.
    /// </summary>
    /// <returns>The destination path.</returns>
    /// <exception cref="DownloadException">Offline, HTTP error, truncated transfer (resumable), size or checksum mismatch.</exception>
    public async Task<string> EnsureAsync(Uri url, string destination, Checksum? checksum = null, long? expectedBytes = null,
        IProgress<DownloadProgress>? progress = null, CancellationToken cancellation = default)
    {
        destination = Path.GetFullPath(destination);
        string name = Path.GetFileName(destination);
        if (File.Exists(destination))
        {
            if (checksum is null || checksum.Matches(checksum.Compute(destination))) return destination;
            File.Delete(destination); // corrupted in the cache: fetch again
        }
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        string partial = destination + ".partial";
        long have = File.Exists(partial) ? new FileInfo(partial).Length : 0;

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (have > 0) request.Headers.Range = new RangeHeaderValue(have, null);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new DownloadException($"{name}: cannot reach {url} ({e.Message}). If this machine is offline, download the file elsewhere and put it at {destination}.", e);
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && have > 0)
            {
                // The partial file is already whole (or longer than the file): verify it as it is.
                return Finish(partial, destination, url, checksum, expectedBytes);
            }
            if (!response.IsSuccessStatusCode)
                throw new DownloadException($"{name}: {url} answered {(int)response.StatusCode} {response.ReasonPhrase}. Check the address, or put the file at {destination} by hand.");

            bool resuming = response.StatusCode == HttpStatusCode.PartialContent && have > 0;
            if (!resuming) have = 0; // the server ignored the Range: start over
            long? total = response.Content.Headers.ContentLength is { } length ? length + have : expectedBytes;
            if (expectedBytes is { } e2 && total is { } t && t != e2)
                throw new DownloadException($"{name}: {url} offers {t:N0} bytes, expected {e2:N0}; the file at that address changed. Nothing was kept.");

            await using (var output = new FileStream(partial, resuming ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            await using (var input = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false))
            {
                var buffer = new byte[1 << 16];
                long received = have;
                progress?.Report(new DownloadProgress(name, received, total));
                while (true)
                {
                    int read;
                    using (var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
                    {
                        stall.CancelAfter(StallTimeout);
                        try { read = await input.ReadAsync(buffer, stall.Token).ConfigureAwait(false); }
                        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
                        {
                            throw new DownloadException($"{name}: {url} sent nothing for {StallTimeout.TotalSeconds:F0} s after {received:N0} bytes. Run again to resume.");
                        }
                        catch (Exception e) when (e is IOException or HttpRequestException)
                        {
                            throw new DownloadException($"{name}: the transfer from {url} broke after {received:N0} of {total?.ToString("N0") ?? "?"} bytes ({e.Message}). Run again to resume.", e);
                        }
                    }
                    if (read == 0) break;
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellation).ConfigureAwait(false);
                    received += read;
                    progress?.Report(new DownloadProgress(name, received, total));
                }
                if (total is { } expectedTotal && received < expectedTotal)
                    throw new DownloadException($"{name}: truncated transfer from {url}: got {received:N0} of {expectedTotal:N0} bytes. Run again to resume.");
            }
            return Finish(partial, destination, url, checksum, total);
        }
    }

    static string Finish(string partial, string destination, Uri url, Checksum? checksum, long? expectedBytes)
    {
        string name = Path.GetFileName(destination);
        long size = new FileInfo(partial).Length;
        if (expectedBytes is { } expected && size != expected)
        {
            File.Delete(partial);
            throw new DownloadException($"{name}: got {size:N0} bytes from {url}, expected {expected:N0}. The partial file was deleted; run again.");
        }
        if (checksum is not null)
        {
            var actual = checksum.Compute(partial);
            if (!checksum.Matches(actual))
            {
                File.Delete(partial);
                throw new DownloadException($"{name}: checksum mismatch for {url}: expected {checksum}, got {checksum.Algorithm}:{actual}. The download was deleted; the file at that address is not the one this kit knows.");
            }
        }
        File.Move(partial, destination, overwrite: true);
        return destination;
    }
}
