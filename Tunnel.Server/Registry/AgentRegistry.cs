using Microsoft.EntityFrameworkCore;

namespace Tunnel.Server.Registry;

/// <summary>
/// clientId → connection rows in <c>connections</c>. The database is the shared truth between nodes; every write
/// that removes a row is guarded by the connection id it was written for, so that a late disconnect never removes a
/// newer connection of the same client.
/// </summary>
internal sealed class AgentRegistry(IDbContextFactory<TunnelDbContext> contexts, TimeProvider time)
{
    public async Task UpsertAsync(string clientId, string connectionId, string nodeId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = contexts.CreateDbContext();

        // Update first: a reconnecting client already has a row. Insert only when there is none, and if another
        // node inserted in between, the unique key refuses ours and the update wins the second time.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var updated = await db.Connections
                .Where(c => c.ClientId == clientId)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(c => c.ConnectionId, connectionId)
                          .SetProperty(c => c.NodeId, nodeId)
                          .SetProperty(c => c.Updated, now),
                    cancellationToken);
            if (updated > 0)
            {
                return;
            }

            db.Connections.Add(new AgentConnection
            {
                ClientId = clientId,
                ConnectionId = connectionId,
                NodeId = nodeId,
                Created = now,
                Updated = now,
            });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear();
            }
        }

        throw new InvalidOperationException($"Could not upsert the connection row of client '{clientId}'.");
    }

    /// <summary>Deletes the client's row only while it still names <paramref name="connectionId"/>.</summary>
    public async Task<bool> RemoveAsync(string clientId, string connectionId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var deleted = await db.Connections
            .Where(c => c.ClientId == clientId && c.ConnectionId == connectionId)
            .ExecuteDeleteAsync(cancellationToken);
        return deleted > 0;
    }

    public async Task<AgentConnection?> FindAsync(string clientId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        return await db.Connections.AsNoTracking().FirstOrDefaultAsync(c => c.ClientId == clientId, cancellationToken);
    }

    /// <summary>
    /// Removes the rows a node last wrote before <paramref name="before"/>: at start, a node's rows from before a
    /// crash are stale.
    /// </summary>
    public async Task<int> RemoveNodeAsync(string nodeId, DateTime before, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        return await db.Connections.Where(c => c.NodeId == nodeId && c.Updated < before).ExecuteDeleteAsync(cancellationToken);
    }

    public async Task<bool> CanConnectAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        return await db.Database.CanConnectAsync(cancellationToken);
    }
}
