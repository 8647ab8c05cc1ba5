using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tunnel.Server.Hosting;

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

        var removed = await registry.RemoveNodeAsync(tunnelOptions.Value.NodeId, cancellationToken);
        if (removed > 0)
        {
            RegistryLog.StaleRowsRemoved(logger, removed, tunnelOptions.Value.NodeId);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
