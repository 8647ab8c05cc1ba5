using System.Security.Cryptography;
using Tunnel.Bench.Processes;

namespace Tunnel.Bench.Paths;

/// <summary>
/// A second Tunnel.Server node of the same cluster (same database, same secret) that holds no agent connection:
/// every request through it crosses to the node that does (YARP, one hop, issue 12). Measured as its own path,
/// "tunnel hop", beside "tunnel streamed" (the node holding the agent).
/// </summary>
internal sealed class TunnelHopNode : IDisposable
{
    private readonly ChildProcess _server;

    private TunnelHopNode(ChildProcess server, BenchPath path)
    {
        _server = server;
        Path = path;
    }

    public BenchPath Path { get; }

    public static async Task<TunnelHopNode> StartAsync(BenchOptions options, TunnelStack tunnel, string workDir, CancellationToken cancellationToken)
    {
        var secret = tunnel.ClusterSecret ?? throw new InvalidOperationException("the tunnel was started without --hop");
        var port = LoopbackPorts.Free();
        var serverDir = Directory.CreateDirectory(System.IO.Path.Combine(workDir, "server-hop")).FullName;
        var source = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(options.ServerDll)!, "appsettings.json");
        if (File.Exists(source))
        {
            File.Copy(source, System.IO.Path.Combine(serverDir, "appsettings.json"), overwrite: true);
        }

        var server = ChildProcess.Start("server-hop", DotnetHost.Path(),
        [
            options.ServerDll,
            "--urls", $"http://127.0.0.1:{port}",
            "--Tunnel:NodeId=bench-hop",
            $"--Tunnel:Database:Provider={(tunnel.DatabaseConnection.StartsWith("Data Source=", StringComparison.Ordinal) ? "Sqlite" : "MySql")}",
            $"--ConnectionStrings:Tunnel={tunnel.DatabaseConnection}",
            $"--Tunnel:Cluster:InternalUrl=http://127.0.0.1:{port}",
            $"--Tunnel:Cluster:Secret={secret}",
        ], serverDir, workDir, new Dictionary<string, string?> { ["Tunnel__AdminToken"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)) });
        try
        {
            using var health = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
            await TunnelStack.WaitHealthyAsync(health, server, TimeSpan.FromSeconds(60), cancellationToken);
            var path = new BenchPath
            {
                Key = "tunnel-hop",
                Name = "tunnel hop (2nd node)",
                BaseAddress = health.BaseAddress,
                Query = "clientId=" + TunnelStack.ClientId,
                Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + tunnel.ClientToken },
                // Both nodes carry a hop: this one forwards, the agent's node serves.
                ServerSide = new ProcessGroup("server-hop + server", () => [server.Pid, tunnel.ServerPid]),
                HomeSide = tunnel.Streamed.HomeSide,
            };
            path.StartToServedMs = await Served.WaitAsync(path, server, System.Diagnostics.Stopwatch.GetTimestamp(), TimeSpan.FromSeconds(30), cancellationToken);
            return new TunnelHopNode(server, path);
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Path.Dispose();
        _server.Dispose();
    }
}
