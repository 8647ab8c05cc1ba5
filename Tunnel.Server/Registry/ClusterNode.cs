namespace Tunnel.Server.Registry;

/// <summary>
/// A row of <c>nodes</c>: one server process sharing the database, how the others reach it, and when it was last
/// heard from. A node whose heartbeat is older than <c>Tunnel:Cluster:NodeTimeout</c> is dead (issue 12).
/// </summary>
internal sealed class ClusterNode
{
    public required string NodeId { get; set; }

    /// <summary>The node's <c>Tunnel:Cluster:InternalUrl</c>; null for a node that takes no hops (single node).</summary>
    public string? InternalUrl { get; set; }

    public DateTime Started { get; set; }

    public DateTime Heartbeat { get; set; }
}
