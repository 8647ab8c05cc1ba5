using Tunnel.Bench.Processes;

namespace Tunnel.Bench.Paths;

/// <summary>
/// A throwaway MariaDB for <c>--db mysql</c> when no connection string is given: Debian's mariadbd in a temp dir
/// on a loopback port, root over TCP without a password (a fresh data dir allows it), removed with the temp dir.
/// </summary>
internal sealed class MariaDbServer : IDisposable
{
    private readonly ChildProcess _mariadbd;

    private MariaDbServer(ChildProcess mariadbd, string connectionString)
    {
        _mariadbd = mariadbd;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<MariaDbServer> StartAsync(string workDir, CancellationToken cancellationToken)
    {
        var mariadbd = Command.Find("mariadbd", "/usr/sbin/mariadbd")
            ?? throw new InvalidOperationException("--db mysql needs --mysql-connection or Debian's mariadb-server (mariadbd).");
        var installDb = Command.Find("mariadb-install-db", "/usr/bin/mariadb-install-db")
            ?? throw new InvalidOperationException("mariadb-install-db is missing (Debian: mariadb-server).");
        var dir = Directory.CreateDirectory(Path.Combine(workDir, "mariadb")).FullName;
        var data = Path.Combine(dir, "data");
        var (code, output) = await Command.RunAsync(installDb,
            ["--no-defaults", $"--datadir={data}", "--user=root", "--auth-root-authentication-method=normal"],
            TimeSpan.FromSeconds(120), cancellationToken);
        if (code != 0)
        {
            throw new InvalidOperationException($"mariadb-install-db failed:\n{output}");
        }

        var port = LoopbackPorts.Free();
        var child = ChildProcess.Start("mariadbd", mariadbd,
        [
            "--no-defaults", $"--datadir={data}", $"--socket={Path.Combine(dir, "sock")}", $"--port={port}",
            "--bind-address=127.0.0.1", "--user=root", "--skip-name-resolve", "--innodb-buffer-pool-size=128M",
            $"--pid-file={Path.Combine(dir, "pid")}",
        ], dir, workDir);
        try
        {
            await LoopbackPorts.WaitListeningAsync(port, child, TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch
        {
            child.Dispose();
            throw;
        }

        return new MariaDbServer(child, $"Server=127.0.0.1;Port={port};User ID=root;Password=;Database=tunnel_bench");
    }

    public void Dispose() => _mariadbd.Dispose();
}
