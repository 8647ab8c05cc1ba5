namespace Tunnel.Server.Cluster;

/// <summary>A live node that holds a connection of a client, how to reach it, and when it was last heard from.</summary>
internal sealed record NodeRoute(string NodeId, Uri InternalUrl, DateTime Heartbeat);
