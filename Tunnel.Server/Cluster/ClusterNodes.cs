using Microsoft.EntityFrameworkCore;
using Tunnel.Server.Registry;

namespace Tunnel.Server.Cluster;

/// <summary>The <c>nodes</c> table: heartbeats, which live nodes hold a client, and removing dead nodes.</summary>
internal sealed class ClusterNodes(IDbContextFactory<TunnelDbContext> contexts)
{
    public async Task HeartbeatAsync(string nodeId, string? internalUrl, DateTime started, DateTime now, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var updated = await db.Nodes
            .Where(n => n.NodeId == nodeId)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.Heartbeat, now).SetProperty(n => n.InternalUrl, internalUrl).SetProperty(n => n.Started, started), cancellationToken);
        if (updated > 0)
        {
            return;
        }

        db.Nodes.Add(new ClusterNode { NodeId = nodeId, InternalUrl = internalUrl, Started = started, Heartbeat = now });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Written concurrently (a restart racing its own previous heartbeat): the next beat updates it.
        }
    }

    /// <summary>Live nodes other than <paramref name="selfNodeId"/> holding a connection of the client.</summary>
    public async Task<List<NodeRoute>> FindLiveAsync(string clientId, string selfNodeId, DateTime liveSince, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var routes = await db.Connections.AsNoTracking()
            .Where(c => c.ClientId == clientId && c.NodeId != selfNodeId)
            .Join(db.Nodes.Where(n => n.Heartbeat >= liveSince && n.InternalUrl != null), c => c.NodeId, n => n.NodeId, (c, n) => new { n.NodeId, n.InternalUrl, n.Heartbeat })
            .Distinct()
            .ToListAsync(cancellationToken);
        return routes.Select(r => new NodeRoute(r.NodeId, new Uri(r.InternalUrl!), r.Heartbeat)).ToList();
    }

    /// <summary>Nodes heard from since <paramref name="liveSince"/>.</summary>
    public async Task<List<ClusterNode>> ListLiveAsync(DateTime liveSince, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        return await db.Nodes.AsNoTracking().Where(n => n.Heartbeat >= liveSince).ToListAsync(cancellationToken);
    }

    /// <summary>Removes nodes not heard from since <paramref name="liveSince"/> and their connection rows.</summary>
    public async Task<(int Nodes, int Connections)> RemoveDeadAsync(string selfNodeId, DateTime liveSince, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var dead = await db.Nodes.AsNoTracking()
            .Where(n => n.Heartbeat < liveSince && n.NodeId != selfNodeId)
            .Select(n => n.NodeId)
            .ToListAsync(cancellationToken);
        if (dead.Count == 0)
        {
            return (0, 0);
        }

        var connections = await db.Connections.Where(c => dead.Contains(c.NodeId)).ExecuteDeleteAsync(cancellationToken);
        // Guarded by the heartbeat: a node that came back in between keeps its row (and rewrites its connections).
        var nodes = await db.Nodes.Where(n => dead.Contains(n.NodeId) && n.Heartbeat < liveSince).ExecuteDeleteAsync(cancellationToken);
        return (nodes, connections);
    }
}
