namespace Tunnel.Tests.Fixtures;

public static class ServerSettingsFor
{
    /// <summary>Settings for a fresh database of <paramref name="kind"/> (a new MariaDB database each time).</summary>
    public static async Task<ServerSettings> DatabaseAsync(DatabaseKind kind, string? nodeId = null, int port = 0)
    {
        var mysql = kind == DatabaseKind.MariaDb ? await MariaDb.CreateDatabaseAsync() : null;
        return new ServerSettings
        {
            MySqlConnectionString = mysql,
            NodeId = nodeId ?? "node-" + Guid.NewGuid().ToString("N")[..8],
            Port = port,
        };
    }
}
