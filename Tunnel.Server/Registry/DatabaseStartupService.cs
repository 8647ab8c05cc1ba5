using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Tunnel.Server.Registry;

/// <summary>
/// Brings the database up to date before the server takes traffic; once the server has bound its addresses, removes
/// this node's rows left by a previous run (a crash leaves rows that route to connections that no longer exist).
/// The removal waits for the bind so that a second process started by mistake on a taken port, which then fails,
/// never deletes the rows of the live server with the same node id; it spares rows written since this start, which
/// agents that connected in between own.
/// </summary>
internal sealed class DatabaseStartupService(
    IDbContextFactory<TunnelDbContext> contexts,
    AgentRegistry registry,
    IOptions<DatabaseOptions> databaseOptions,
    IOptions<TunnelOptions> tunnelOptions,
    TimeProvider time,
    ILogger<DatabaseStartupService> logger) : IHostedLifecycleService
{
    private DateTime _started;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _started = time.GetUtcNow().UtcDateTime;
        if (databaseOptions.Value.MigrateOnStart)
        {
            await using var db = contexts.CreateDbContext();
            await db.Database.MigrateAsync(cancellationToken);
            RegistryLog.Migrated(logger, databaseOptions.Value.Provider);
        }

        if (databaseOptions.Value.Provider == DatabaseProvider.Sqlite)
        {
            // WAL lets lookups run while a connect burst writes rows; the default rollback journal makes readers
            // and writers wait on each other until "database is locked". The mode is kept in the file.
            await using var db = contexts.CreateDbContext();
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }

    /// <summary>Runs after every hosted service started, the web server included: the addresses are bound.</summary>
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var removed = await registry.RemoveNodeAsync(tunnelOptions.Value.NodeId, _started, cancellationToken);
        if (removed > 0)
        {
            RegistryLog.StaleRowsRemoved(logger, removed, tunnelOptions.Value.NodeId);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
