using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Tunnel.Server.Registry;

/// <summary>
/// Brings the database up to date before the server takes traffic, then removes this node's rows left by a
/// previous run (a crash leaves rows that route to connections that no longer exist).
/// </summary>
internal sealed class DatabaseStartupService(
    IDbContextFactory<TunnelDbContext> contexts,
    AgentRegistry registry,
    IOptions<DatabaseOptions> databaseOptions,
    IOptions<TunnelOptions> tunnelOptions,
    ILogger<DatabaseStartupService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
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

        var removed = await registry.RemoveNodeAsync(tunnelOptions.Value.NodeId, cancellationToken);
        if (removed > 0)
        {
            RegistryLog.StaleRowsRemoved(logger, removed, tunnelOptions.Value.NodeId);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
