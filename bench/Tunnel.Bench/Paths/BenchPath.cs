using System.Net;
using Tunnel.Bench.Processes;

namespace Tunnel.Bench.Paths;

/// <summary>
/// One way from the client to the origin (direct, nginx, ssh -R, the tunnel streamed or buffered): where to send
/// requests, which headers to add, and which processes carry the traffic, so that their cost can be measured.
/// </summary>
internal sealed class BenchPath : IDisposable
{
    private HttpClient? _client;

    public required string Key { get; init; }

    public required string Name { get; init; }

    public required Uri BaseAddress { get; init; }

    /// <summary>Query parameters every request carries, e.g. <c>clientId=bench</c>; empty for none.</summary>
    public string Query { get; init; } = string.Empty;

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The live-updates WebSocket URL of this path (a fresh signature each call for the tunnel), or null when the path
    /// is not measured for WebSockets.
    /// </summary>
    public Func<CancellationToken, Task<Uri>>? WebSocketUrl { get; init; }

    /// <summary>The public side: the tunnel server, nginx's worker, sshd. Null for direct.</summary>
    public ProcessGroup? ServerSide { get; init; }

    /// <summary>The home side: the agent, the ssh client. Null for direct and nginx.</summary>
    public ProcessGroup? HomeSide { get; init; }

    /// <summary>From the home side's process start to the first request served through it (agent, ssh -R).</summary>
    public double? StartToServedMs { get; set; }

    /// <summary>One client per path: its own connection pool, unlimited connections, no proxy, no decompression.</summary>
    public HttpClient Client => _client ??= CreateClient();

    public Uri Url(string path) =>
        new(BaseAddress, Query.Length == 0 ? path : path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + Query);

    public void Dispose() => _client?.Dispose();

    private HttpClient CreateClient()
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(120) };
        foreach (var (name, value) in Headers)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation(name, value);
        }

        return client;
    }
}
