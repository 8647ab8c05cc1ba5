using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tunnel.Tests.Fixtures;

/// <summary>
/// An origin on a bare socket that answers with exactly the bytes a test writes: what Kestrel would never send
/// (Content-Length beside Transfer-Encoding, two Content-Lengths, a 304 with a length, raw UTF-8 in a header, a body
/// that drips or stops). Handlers are chosen by path; a handler returns whether the connection stays open for the
/// next request (keep-alive), so tests can see whether the agent reused it.
/// </summary>
public sealed class RawOrigin : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, Func<RawOriginRequest, Stream, CancellationToken, Task<bool>>> _handlers = new();
    private readonly ConcurrentQueue<RawOriginRequest> _requests = new();
    private readonly Task _accepting;
    private int _connections;

    private RawOrigin(TcpListener listener)
    {
        _listener = listener;
        BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
        _accepting = AcceptAsync();
    }

    public Uri BaseAddress { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public IReadOnlyCollection<RawOriginRequest> Requests => _requests;

    public static RawOrigin Start()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new RawOrigin(listener);
    }

    /// <summary>Answers requests for <paramref name="path"/>; the handler writes the whole response itself.</summary>
    public void Map(string path, Func<RawOriginRequest, Stream, CancellationToken, Task<bool>> handler) => _handlers[path] = handler;

    /// <summary>Answers <paramref name="path"/> with these exact bytes and keeps the connection open.</summary>
    public void MapBytes(string path, byte[] response) => Map(path, async (_, stream, ct) =>
    {
        await stream.WriteAsync(response, ct);
        return true;
    });

    /// <summary>A response head from lines (status line first), as Latin-1 bytes, ending with the empty line.</summary>
    public static byte[] Head(params string[] lines) => Encoding.Latin1.GetBytes(string.Join("\r\n", lines) + "\r\n\r\n");

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            var id = Interlocked.Increment(ref _connections);
            _ = ServeAsync(socket, id);
        }
    }

    private async Task ServeAsync(Socket socket, int connectionId)
    {
        socket.NoDelay = true;
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            while (await ReadRequestAsync(stream, connectionId, _stop.Token) is { } request)
            {
                _requests.Enqueue(request);
                var keepOpen = _handlers.TryGetValue(request.Path, out var handler)
                    ? await handler(request, stream, _stop.Token)
                    : await NotFoundAsync(stream, _stop.Token);
                if (!keepOpen)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The agent closed the connection (or the test ended): nothing to answer.
        }
    }

    private static async Task<bool> NotFoundAsync(Stream stream, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Head("HTTP/1.1 404 Not Found", "Content-Length: 0"), cancellationToken);
        return true;
    }

    /// <summary>Reads one request head (and discards a Content-Length body); null when the peer closed.</summary>
    private static async Task<RawOriginRequest?> ReadRequestAsync(Stream stream, int connectionId, CancellationToken cancellationToken)
    {
        var bytes = new List<byte>(1024);
        var one = new byte[1];
        while (bytes.Count < 4 || bytes[^4] != '\r' || bytes[^3] != '\n' || bytes[^2] != '\r' || bytes[^1] != '\n')
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                return null;
            }

            bytes.Add(one[0]);
        }

        var head = bytes.ToArray();
        var lines = Encoding.Latin1.GetString(head).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var requestLine = lines[0].Split(' ');
        var headers = lines.Skip(1)
            .Select(l => l.Split(':', 2))
            .Select(p => (Name: p[0].Trim(), Value: p.Length > 1 ? p[1].Trim(' ', '\t') : string.Empty))
            .ToList();
        var request = new RawOriginRequest(requestLine[0], requestLine[1], head, headers, connectionId);
        if (request["Content-Length"] is { } length && long.Parse(length, CultureInfo.InvariantCulture) is > 0 and var remaining)
        {
            var discard = new byte[8192];
            while (remaining > 0)
            {
                var read = await stream.ReadAsync(discard.AsMemory(0, (int)Math.Min(discard.Length, remaining)), cancellationToken);
                if (read == 0)
                {
                    return null;
                }

                remaining -= read;
            }
        }

        return request;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
