namespace Tunnel.Tests.Fixtures;

/// <summary>
/// Several real server nodes (in this process, each on its own Kestrel port) sharing one MariaDB database, with
/// <c>Tunnel:Cluster</c> set as an operator would: each node's internal URL, one shared secret, a short node timeout.
/// </summary>
public sealed class TunnelCluster : IAsyncDisposable
{
    public const string Secret = "cluster-secret-for-tests-0123456789abcdef";

    /// <summary>Short, so that tests of dead nodes finish quickly; heartbeats run every second.</summary>
    public static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(5);

    private TunnelCluster(string connectionString, List<TunnelServer> nodes)
    {
        ConnectionString = connectionString;
        Nodes = nodes;
    }

    public string ConnectionString { get; }

    public List<TunnelServer> Nodes { get; }

    public static async Task<TunnelCluster> StartAsync(int nodes)
    {
        var connectionString = await MariaDb.CreateDatabaseAsync();
        var started = new List<TunnelServer>();
        for (var i = 0; i < nodes; i++)
        {
            started.Add(await StartNodeAsync(connectionString, $"node-{i}"));
        }

        return new TunnelCluster(connectionString, started);
    }

    public static Task<TunnelServer> StartNodeAsync(string connectionString, string nodeId, int? port = null)
    {
        var p = port ?? LoopbackPort.Free();
        return TunnelServer.StartAsync(new ServerSettings
        {
            MySqlConnectionString = connectionString,
            NodeId = nodeId,
            Port = p,
            Extra =
            {
                ["Tunnel:Cluster:InternalUrl"] = $"http://127.0.0.1:{p}",
                ["Tunnel:Cluster:Secret"] = Secret,
                ["Tunnel:Cluster:NodeTimeout"] = NodeTimeout.ToString(),
            },
        });
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }
    }
}
