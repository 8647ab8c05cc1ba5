using MySqlConnector;

namespace Tunnel.Tests.Fixtures;

/// <summary>
/// Several Tunnel.Server processes (<c>dotnet Tunnel.Server.dll</c>, as an operator runs them) sharing one MariaDB
/// database as a cluster, each on its own loopback port with its internal URL, one shared secret and a short node
/// timeout. A node can be SIGKILLed and started again with the same settings.
/// </summary>
public sealed class ClusterProcesses : IAsyncDisposable
{
    public static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(5);

    private readonly string _folder = Directory.CreateTempSubdirectory("tunnel-cluster-").FullName;
    private readonly ProjectProcess?[] _nodes;

    private ClusterProcesses(string connectionString, int[] ports)
    {
        ConnectionString = connectionString;
        Ports = ports;
        _nodes = new ProjectProcess?[ports.Length];
    }

    public string ConnectionString { get; }

    public int[] Ports { get; }

    public static string NodeId(int index) => $"node-{index}";

    public Uri Address(int index) => new($"http://127.0.0.1:{Ports[index]}");

    public string Output(int index) => _nodes[index]?.Output ?? "";

    public static async Task<ClusterProcesses> StartAsync(int count)
    {
        var cluster = new ClusterProcesses(await MariaDb.CreateDatabaseAsync(), Enumerable.Range(0, count).Select(_ => LoopbackPort.Free()).ToArray());
        try
        {
            // The first node migrates the fresh database alone; the others start together once it is up.
            await cluster.StartNodeAsync(0);
            await Task.WhenAll(Enumerable.Range(1, count - 1).Select(cluster.StartNodeAsync));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task StartNodeAsync(int index)
    {
        var port = Ports[index];
        var node = ProjectProcess.Start("Tunnel.Server", _folder,
        [
            "--urls", $"http://127.0.0.1:{port}",
            $"--Tunnel:AdminToken={TunnelServer.AdminToken}",
            $"--Tunnel:NodeId={NodeId(index)}",
            "--Tunnel:Database:Provider=MySql",
            $"--ConnectionStrings:Tunnel={ConnectionString}",
            $"--Tunnel:Cluster:InternalUrl=http://127.0.0.1:{port}",
            $"--Tunnel:Cluster:Secret={TunnelCluster.Secret}",
            $"--Tunnel:Cluster:NodeTimeout={NodeTimeout}",
            "--Tunnel:Auth:FailedAttemptsPerMinute=100000",
            "--Tunnel:DrainTimeout=00:00:01",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information",
        ]);
        _nodes[index] = node;
        (await node.WaitForLineAsync("Now listening on:", TimeSpan.FromSeconds(60))).Should().NotBeNull(node.Output);
    }

    /// <summary>SIGKILL: no handler runs, its rows stay behind until the others find it dead.</summary>
    public async Task KillAsync(int index)
    {
        var node = _nodes[index]!;
        _nodes[index] = null;
        node.Kill();
        await node.DisposeAsync();
    }

    /// <summary>Reads a single number from the shared database, e.g. how many connection rows there are.</summary>
    public async Task<long> CountAsync(string sql)
    {
        await using var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }
        }
    }
}
