using Microsoft.EntityFrameworkCore;

namespace Tunnel.Server.Registry;

/// <summary>
/// clientId → connection rows in <c>connections</c>, one per live connection. The database is the shared truth
/// between nodes; every write that removes a row is guarded by the connection id it was written for, so that a late
/// disconnect never removes a newer connection of the same client.
/// </summary>
internal sealed class AgentRegistry(IDbContextFactory<TunnelDbContext> contexts, TimeProvider time)
{
    /// <summary>
    /// Records a connection of the client's agent <paramref name="agentInstance"/> (default: the connection itself,
    /// for agents that send no instance id) and removes the rows of every other instance: the newest agent wins.
    /// Returns how many rows of other instances were removed.
    /// </summary>
    public async Task<int> UpsertAsync(string clientId, string connectionId, string nodeId, CancellationToken cancellationToken, string? agentInstance = null)
    {
        var instance = agentInstance ?? connectionId;
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = contexts.CreateDbContext();
        var updated = await db.Connections
            .Where(c => c.ClientId == clientId && c.ConnectionId == connectionId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.NodeId, nodeId).SetProperty(c => c.Updated, now), cancellationToken);
        if (updated == 0)
        {
            db.Connections.Add(new AgentConnection
            {
                ClientId = clientId,
                ConnectionId = connectionId,
                NodeId = nodeId,
                AgentInstance = instance,
                Created = now,
                Updated = now,
            });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // The same connection written concurrently (a retry after an outage): the row is there.
            }
        }

        // After our row is there, compare creation times with the other instances' rows: older ones are removed, and
        // when a newer one exists ours goes (its connection is then displaced by the heartbeat, Cluster/). Two
        // instances racing each see the other's row once it is written, so they never both stay: the insert that
        // commits later still finds the newer row and removes itself.
        var created = await db.Connections.AsNoTracking()
            .Where(c => c.ClientId == clientId && c.ConnectionId == connectionId)
            .Select(c => (DateTime?)c.Created)
            .FirstOrDefaultAsync(cancellationToken) ?? now;
        var displaced = await db.Connections
            .Where(c => c.ClientId == clientId && c.AgentInstance != instance && c.Created < created)
            .ExecuteDeleteAsync(cancellationToken);
        if (await db.Connections.AnyAsync(c => c.ClientId == clientId && c.AgentInstance != instance && c.Created > created, cancellationToken))
        {
            await db.Connections
                .Where(c => c.ClientId == clientId && c.ConnectionId == connectionId)
                .ExecuteDeleteAsync(cancellationToken);
        }

        return displaced;
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

    /// <summary>Deletes every row of a client, on every node: revocation (the nodes drop what they no longer find).</summary>
    public async Task<int> RemoveClientAsync(string clientId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        return await db.Connections.Where(c => c.ClientId == clientId).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>The client's newest row, if any.</summary>
    public async Task<AgentConnection?> FindAsync(string clientId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        return await db.Connections.AsNoTracking()
            .Where(c => c.ClientId == clientId)
            .OrderByDescending(c => c.Updated)
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Every row of the given node.</summary>
    public async Task<List<AgentConnection>> ListNodeAsync(string nodeId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        return await db.Connections.AsNoTracking().Where(c => c.NodeId == nodeId).ToListAsync(cancellationToken);
    }

    /// <summary>Every row of the given clients.</summary>
    public async Task<List<AgentConnection>> ListClientsAsync(IReadOnlyCollection<string> clientIds, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        return await db.Connections.AsNoTracking().Where(c => clientIds.Contains(c.ClientId)).ToListAsync(cancellationToken);
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
