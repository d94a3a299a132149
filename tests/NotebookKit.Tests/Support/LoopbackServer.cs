using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace NotebookKit.Tests.Support;

/// <summary>
/// A real HTTP server on 127.0.0.1 for download tests: serves byte arrays, honours Range requests, and can
/// cut a response short (truncated transfer). Records every request's Range header.
/// </summary>
sealed class LoopbackServer : IDisposable
{
    readonly HttpListener listener = new();
    readonly ConcurrentDictionary<string, byte[]> files = new();
    readonly CancellationTokenSource stop = new();
    readonly Task loop;

    /// <summary>When set, responses to this path stop after this many bytes (the connection is aborted).</summary>
    public ConcurrentDictionary<string, long> TruncateAfter { get; } = new();

    /// <summary>Range headers received, in order ("" for none).</summary>
    public ConcurrentQueue<string> Ranges { get; } = new();

    public Uri BaseAddress { get; }

    public LoopbackServer()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0)) { probe.Start(); port = ((IPEndPoint)probe.LocalEndpoint).Port; probe.Stop(); }
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        listener.Prefixes.Add(BaseAddress.ToString());
        listener.Start();
        loop = Task.Run(Serve);
    }

    public Uri Serve(string path, byte[] content)
    {
        files[path] = content;
        return new Uri(BaseAddress, path);
    }

    async Task Serve()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); }
            catch (Exception) when (stop.IsCancellationRequested) { return; }
            catch (HttpListenerException) { return; }
            catch (ObjectDisposedException) { return; }
            _ = Task.Run(() => Handle(context));
        }
    }

    void Handle(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath.TrimStart('/');
        var range = context.Request.Headers["Range"] ?? "";
        Ranges.Enqueue(range);
        var response = context.Response;
        try
        {
            if (!files.TryGetValue(path, out var content)) { response.StatusCode = 404; response.Close(); return; }
            long start = 0;
            if (range.StartsWith("bytes=", StringComparison.Ordinal))
            {
                start = long.Parse(range["bytes=".Length..].TrimEnd('-').Split('-')[0], System.Globalization.CultureInfo.InvariantCulture);
                if (start >= content.Length) { response.StatusCode = 416; response.Close(); return; }
                response.StatusCode = 206;
                response.AddHeader("Content-Range", $"bytes {start}-{content.Length - 1}/{content.Length}");
            }
            response.ContentLength64 = content.Length - start;
            long limit = TruncateAfter.TryGetValue(path, out var cut) ? Math.Max(0, cut - start) : long.MaxValue;
            int count = (int)Math.Min(content.Length - start, limit);
            response.OutputStream.Write(content, (int)start, count);
            if (count < content.Length - start) { response.OutputStream.Flush(); response.Abort(); return; }
            response.Close();
        }
        catch (HttpListenerException) { }
        catch (IOException) { }
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        listener.Close();
        try { loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
