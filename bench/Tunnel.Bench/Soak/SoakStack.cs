using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Tunnel.Bench.Processes;

namespace Tunnel.Bench.Soak;

/// <summary>
/// The tunnel for the soak: <c>dotnet Tunnel.Server.dll</c> (SQLite) and the agent (<see cref="AgentLauncher"/>: the
/// Native AOT executable by default) as child processes that can be SIGKILLed and started again: the server on the
/// same port with the same database file and node id, the agent with the same client and token. Each incarnation logs
/// to its own file in the work dir.
/// </summary>
internal sealed class SoakStack : IDisposable
{
    public const string ClientId = "soak";

    private readonly string _serverDll;
    private readonly AgentLauncher _agentLauncher;
    private readonly string _workDir;
    private readonly string _serverDir;
    private readonly string _agentDir;
    private readonly Uri _origin;
    private readonly int _port;
    private readonly string _adminToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
    private readonly HttpClient _admin;
    private readonly Lock _gate = new();
    private readonly List<ChildProcess> _incarnations = [];
    private string _agentToken = string.Empty;
    private ChildProcess? _server;
    private ChildProcess? _agent;
    private int _serverStarts;
    private int _agentStarts;

    public SoakStack(BenchOptions options, AgentLauncher agent, Uri origin, string workDir)
    {
        // Private copies of both builds: a rebuild (or the next bench's publish) in the clone during a long run must
        // not change (or half-write) the binaries that restarts start.
        _serverDll = CopyBuild(options.ServerDll, Path.Combine(workDir, "bin-server"));
        _agentLauncher = agent.CopyTo(Path.Combine(workDir, "bin-agent"));
        _origin = origin;
        _workDir = workDir;
        _port = LoopbackPorts.Free();
        _serverDir = Directory.CreateDirectory(Path.Combine(workDir, "server")).FullName;
        _agentDir = Directory.CreateDirectory(Path.Combine(workDir, "agent")).FullName;
        CopyAppSettings(_serverDll, _serverDir);
        CopyAppSettings(_agentLauncher.Path, _agentDir);
        _admin = new HttpClient { BaseAddress = ServerAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri ServerAddress => new($"http://127.0.0.1:{_port}/");

    public string AgentToken => _agentToken;

    /// <summary>Largest body the soak asks for in buffered mode; the server's cap is set above it.</summary>
    public long BufferedMaxBytes { get; init; } = 128L << 20;

    public int ServerPid
    {
        get
        {
            lock (_gate)
            {
                return _server is { HasExited: false } s ? s.Pid : 0;
            }
        }
    }

    public int AgentPid
    {
        get
        {
            lock (_gate)
            {
                return _agent is { HasExited: false } a ? a.Pid : 0;
            }
        }
    }

    /// <summary>The agent's current incarnation; null before the first start.</summary>
    public ChildProcess? Agent
    {
        get
        {
            lock (_gate)
            {
                return _agent;
            }
        }
    }

    public string ServerLogTail() => _server?.Tail() ?? string.Empty;

    public string AgentLogTail() => _agent?.Tail() ?? string.Empty;

    /// <summary>Starts the server, waits for /health, registers the client (first time only), starts the agent.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await StartServerAsync(cancellationToken);
        _agentToken = await RegisterAsync(cancellationToken);
        StartAgent();
    }

    /// <summary>Starts the server (again) on the same port and database; retries while the port is not yet free.</summary>
    public async Task StartServerAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp();
        while (true)
        {
            var n = Interlocked.Increment(ref _serverStarts);
            var server = ChildProcess.Start($"server-{n}", DotnetHost.Path(),
            [
                _serverDll,
                "--urls", $"http://127.0.0.1:{_port}",
                "--Tunnel:NodeId=soak",
                "--Tunnel:Database:Provider=Sqlite",
                $"--ConnectionStrings:Tunnel=Data Source={Path.Combine(_serverDir, "tunnel.db")}",
                "--Tunnel:Forwarding:BufferedResponseMaxBytes=" + BufferedMaxBytes.ToString(CultureInfo.InvariantCulture),
            ], _serverDir, _workDir, new Dictionary<string, string?> { ["Tunnel__AdminToken"] = _adminToken });
            lock (_gate)
            {
                _server = server;
                _incarnations.Add(server);
            }

            try
            {
                await WaitHealthyAsync(server, TimeSpan.FromSeconds(60), cancellationToken);
                return;
            }
            catch (InvalidOperationException) when (Stopwatch.GetElapsedTime(deadline) < TimeSpan.FromSeconds(30))
            {
                // Exited during start-up (e.g. the port still held): try again.
                server.Kill();
                await Task.Delay(500, cancellationToken);
            }
        }
    }

    public void StartAgent()
    {
        var n = Interlocked.Increment(ref _agentStarts);
        var agent = _agentLauncher.Start($"agent-{n}",
        [
            $"--Agent:ServerUrl=http://127.0.0.1:{_port}",
            $"--Agent:ClientId={ClientId}",
            $"--Agent:OriginUrl={_origin.GetLeftPart(UriPartial.Authority)}",
        ], _agentDir, _workDir, new Dictionary<string, string?> { ["Agent__AccessToken"] = _agentToken });
        lock (_gate)
        {
            _agent = agent;
            _incarnations.Add(agent);
        }
    }

    /// <summary>SIGKILL (Process.Kill on Linux) of the agent; waits until it is gone.</summary>
    public void KillAgent() => Kill(ref _agent);

    /// <summary>SIGKILL of the server; waits until it is gone.</summary>
    public void KillServer() => Kill(ref _server);

    /// <summary>The server's <c>connectedAgents</c> from <c>/health</c>, or -1.</summary>
    public async Task<int> ConnectedAgentsAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _admin.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
            return json.RootElement.TryGetProperty("connectedAgents", out var count) ? count.GetInt32() : -1;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or IOException)
        {
            return -1;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            // Newest first: the agent before the server.
            for (var i = _incarnations.Count - 1; i >= 0; i--)
            {
                _incarnations[i].Dispose();
            }
        }

        _admin.Dispose();
    }

    private static string CopyBuild(string dll, string targetDir)
    {
        var sourceDir = Path.GetDirectoryName(dll)!;
        foreach (var file in Directory.EnumerateFiles(sourceDir, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(targetDir, Path.GetRelativePath(sourceDir, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }

        return Path.Combine(targetDir, Path.GetFileName(dll));
    }

    private static void CopyAppSettings(string binary, string targetDir)
    {
        var source = Path.Combine(Path.GetDirectoryName(binary)!, "appsettings.json");
        if (File.Exists(source))
        {
            File.Copy(source, Path.Combine(targetDir, "appsettings.json"), overwrite: true);
        }
    }

    private void Kill(ref ChildProcess? slot)
    {
        ChildProcess? victim;
        lock (_gate)
        {
            victim = slot;
        }

        // Kill, not Dispose: the log stays open until the end (its tail goes into error reports).
        victim?.Kill();
    }

    private Task WaitHealthyAsync(ChildProcess server, TimeSpan timeout, CancellationToken cancellationToken) =>
        Paths.TunnelStack.WaitHealthyAsync(_admin, server, timeout, cancellationToken);

    private async Task<string> RegisterAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/auth/register-client?clientId=" + ClientId, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _adminToken);
        using var response = await _admin.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"register-client answered {(int)response.StatusCode}: {text}");
        }

        using var json = JsonDocument.Parse(text);
        return json.RootElement.GetProperty("token").GetString() ?? throw new InvalidOperationException("register-client returned no token");
    }
}
