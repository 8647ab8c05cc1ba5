using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Tunnel.Bench.Processes;

namespace Tunnel.Bench.Paths;

/// <summary>
/// The real tunnel: <c>dotnet Tunnel.Server.dll</c> and the agent (<see cref="AgentLauncher"/>: the Native AOT
/// executable by default) as child processes on loopback, with the projects' own appsettings.json, a fresh SQLite
/// file (or the MySQL database given), and one registered client whose agent serves the origin. Exposes the streamed
/// and the buffered path.
/// </summary>
internal sealed class TunnelStack : IDisposable
{
    public const string ClientId = "bench";

    private readonly ChildProcess _server;
    private readonly ChildProcess _agent;
    private readonly HttpClient _admin;
    private readonly string _adminToken;
    private readonly AgentSettings _agentSettings;

    private TunnelStack(ChildProcess server, ChildProcess agent, HttpClient admin, string adminToken, BenchPath streamed, BenchPath buffered, AgentSettings agentSettings)
    {
        _server = server;
        _agent = agent;
        _admin = admin;
        _adminToken = adminToken;
        _agentSettings = agentSettings;
        Streamed = streamed;
        Buffered = buffered;
    }

    public BenchPath Streamed { get; }

    public BenchPath Buffered { get; }

    public Uri ServerAddress => _admin.BaseAddress!;

    public int ServerPid => _server.Pid;

    /// <summary>The registry's connection string, shared by a second node (<see cref="TunnelHopNode"/>).</summary>
    public required string DatabaseConnection { get; init; }

    /// <summary>The cluster's secret when the server runs as a cluster node (<c>--hop</c>); null otherwise.</summary>
    public string? ClusterSecret { get; init; }

    /// <summary>The client's access token, for paths through other nodes.</summary>
    public required string ClientToken { get; init; }

    public static async Task<TunnelStack> StartAsync(
        BenchOptions options, AgentLauncher agentLauncher, Uri origin, string workDir, string? mySqlConnection, CancellationToken cancellationToken)
    {
        var dotnet = DotnetHost.Path();
        var port = LoopbackPorts.Free();
        var adminToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var serverDir = Directory.CreateDirectory(Path.Combine(workDir, "server")).FullName;
        CopyAppSettings(options.ServerDll, serverDir);
        var connection = mySqlConnection ?? $"Data Source={Path.Combine(serverDir, "tunnel.db")}";
        var secret = options.Hop ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)) : null;
        string[] cluster = secret is null ? [] : [$"--Tunnel:Cluster:InternalUrl=http://127.0.0.1:{port}", $"--Tunnel:Cluster:Secret={secret}"];
        var server = ChildProcess.Start("server", dotnet,
        [
            options.ServerDll,
            .. cluster,
            "--urls", $"http://127.0.0.1:{port}",
            "--Tunnel:NodeId=bench",
            $"--Tunnel:Database:Provider={(mySqlConnection is null ? "Sqlite" : "MySql")}",
            $"--ConnectionStrings:Tunnel={connection}",
            // Buffered mode must hold the whole body; the default cap is 64 MiB.
            "--Tunnel:Forwarding:BufferedResponseMaxBytes=" + (options.BodyBytes * 2).ToString(CultureInfo.InvariantCulture),
            // ... and the node-wide budget (512 MiB by default) must hold 64 concurrent 32 MiB buffered bodies.
            "--Tunnel:Forwarding:BufferedTotalMaxBytes=" + (4L * 1024 * 1024 * 1024).ToString(CultureInfo.InvariantCulture),
            // The WebSocket rows open up to 100 sockets for one client; the default cap per client is 64.
            "--Tunnel:Relay:MaxRelaysPerClient=" + Math.Max(64, options.WebSocketCounts.Max() + 8).ToString(CultureInfo.InvariantCulture),
        ], serverDir, workDir, new Dictionary<string, string?> { ["Tunnel__AdminToken"] = adminToken });

        var admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        ChildProcess? agent = null;
        try
        {
            await WaitHealthyAsync(admin, server, TimeSpan.FromSeconds(60), cancellationToken);
            var token = await RegisterAsync(admin, adminToken, ClientId, cancellationToken);

            var agentSettings = new AgentSettings(agentLauncher, origin, workDir);
            var started = Stopwatch.GetTimestamp();
            agent = StartAgent(agentSettings, "agent", port, ClientId, token);

            var headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token };
            var streamed = new BenchPath
            {
                Key = "tunnel-streamed",
                Name = "tunnel streamed",
                BaseAddress = admin.BaseAddress,
                Query = "clientId=" + ClientId,
                Headers = headers,
                ServerSide = ProcessGroup.Of("server", server),
                HomeSide = ProcessGroup.Of("agent", agent),
                WebSocketUrl = ct => SignedWebSocketUrlAsync(admin, token, ct),
            };
            streamed.StartToServedMs = await Served.WaitAsync(streamed, agent, started, TimeSpan.FromSeconds(60), cancellationToken);
            var buffered = new BenchPath
            {
                Key = "tunnel-buffered",
                Name = "tunnel buffered",
                BaseAddress = admin.BaseAddress,
                Query = "clientId=" + ClientId,
                Headers = new Dictionary<string, string>(headers) { ["X-Tunnel-Response"] = "buffered" },
                ServerSide = streamed.ServerSide,
                HomeSide = streamed.HomeSide,
                StartToServedMs = streamed.StartToServedMs,
            };
            return new TunnelStack(server, agent, admin, adminToken, streamed, buffered, agentSettings)
            {
                DatabaseConnection = connection,
                ClusterSecret = secret,
                ClientToken = token,
            };
        }
        catch
        {
            agent?.Dispose();
            server.Dispose();
            admin.Dispose();
            throw;
        }
    }

    /// <summary>Registers a client through the admin API and returns its access token.</summary>
    public Task<string> RegisterClientAsync(string clientId, CancellationToken cancellationToken) =>
        RegisterAsync(_admin, _adminToken, clientId, cancellationToken);

    /// <summary>
    /// Another agent with the shipped settings for a newly registered client, connecting to the server through
    /// <paramref name="viaPort"/> (a delay proxy for the WAN rows); the caller disposes the process and the path.
    /// </summary>
    public async Task<(ChildProcess Agent, BenchPath Path)> StartAgentViaAsync(int viaPort, string clientId, string name, CancellationToken cancellationToken)
    {
        var token = await RegisterClientAsync(clientId, cancellationToken);
        var started = Stopwatch.GetTimestamp();
        var agent = StartAgent(_agentSettings, clientId, viaPort, clientId, token);
        try
        {
            var path = new BenchPath
            {
                Key = clientId,
                Name = name,
                BaseAddress = _admin.BaseAddress!,
                Query = "clientId=" + clientId,
                Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
                ServerSide = ProcessGroup.Of("server", _server),
                HomeSide = ProcessGroup.Of("agent", agent),
            };
            path.StartToServedMs = await Served.WaitAsync(path, agent, started, TimeSpan.FromSeconds(60), cancellationToken);
            return (agent, path);
        }
        catch
        {
            agent.Dispose();
            throw;
        }
    }

    /// <summary>The server's <c>connectedAgents</c> from <c>/health</c>.</summary>
    public async Task<int> ConnectedAgentsAsync(CancellationToken cancellationToken)
    {
        using var response = await _admin.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        return json.RootElement.TryGetProperty("connectedAgents", out var count) ? count.GetInt32() : -1;
    }

    public string ServerLogTail() => _server.Tail();

    public string AgentLogTail() => _agent.Tail();

    public void Dispose()
    {
        Streamed.Dispose();
        Buffered.Dispose();
        _agent.Dispose();
        _server.Dispose();
        _admin.Dispose();
    }

    private static ChildProcess StartAgent(AgentSettings settings, string name, int serverPort, string clientId, string token)
    {
        var agentDir = Directory.CreateDirectory(Path.Combine(settings.WorkDir, name)).FullName;
        CopyAppSettings(settings.Launcher.Path, agentDir);
        return settings.Launcher.Start(name,
        [
            $"--Agent:ServerUrl=http://127.0.0.1:{serverPort}",
            $"--Agent:ClientId={clientId}",
            $"--Agent:OriginUrl={settings.Origin.GetLeftPart(UriPartial.Authority)}",
        ], agentDir, settings.WorkDir, new Dictionary<string, string?> { ["Agent__AccessToken"] = token });
    }

    private static void CopyAppSettings(string binary, string targetDir)
    {
        // The shipped defaults (log levels above all) apply, as they would in production; the working directory is
        // a temp dir so that the SQLite file and nothing else lands there.
        var source = Path.Combine(Path.GetDirectoryName(binary)!, "appsettings.json");
        if (File.Exists(source))
        {
            File.Copy(source, Path.Combine(targetDir, "appsettings.json"), overwrite: true);
        }
    }

    /// <summary>Polls /health until the server answers 200; fails at once if the process exits. The soak uses it too.</summary>
    internal static async Task WaitHealthyAsync(HttpClient admin, ChildProcess server, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp();
        var last = "no answer";
        while (Stopwatch.GetElapsedTime(deadline) < timeout)
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException($"the tunnel server exited during start-up:\n{server.Tail()}");
            }

            try
            {
                using var response = await admin.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                last = $"HTTP {(int)response.StatusCode}";
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"the tunnel server was not healthy within {timeout.TotalSeconds:0} s ({last}):\n{server.Tail()}");
    }

    /// <summary>
    /// The URL a remote app opens for live updates, <c>/ws?moosicboxProfile=master&amp;clientId=X&amp;signature=S</c>, with
    /// a new signature token from <c>POST /auth/signature-token</c> (as the apps get theirs).
    /// </summary>
    private static async Task<Uri> SignedWebSocketUrlAsync(HttpClient admin, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/auth/signature-token?clientId=" + ClientId, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await admin.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"signature-token answered {(int)response.StatusCode}: {text}");
        }

        using var json = JsonDocument.Parse(text);
        var signature = json.RootElement.GetProperty("token").GetString() ?? throw new InvalidOperationException("signature-token returned no token");
        return new Uri($"ws://{admin.BaseAddress!.Authority}/ws?moosicboxProfile=master&clientId={ClientId}&signature={Uri.EscapeDataString(signature)}");
    }

    private static async Task<string> RegisterAsync(HttpClient admin, string adminToken, string clientId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/auth/register-client?clientId=" + Uri.EscapeDataString(clientId), UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await admin.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"register-client {clientId} answered {(int)response.StatusCode}: {text}");
        }

        using var json = JsonDocument.Parse(text);
        return json.RootElement.GetProperty("token").GetString() ?? throw new InvalidOperationException("register-client returned no token");
    }

    private sealed record AgentSettings(AgentLauncher Launcher, Uri Origin, string WorkDir);
}
