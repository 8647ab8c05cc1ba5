namespace Tunnel.Server.Cluster;

/// <summary>A live node that holds a connection of a client, and how to reach it.</summary>
internal sealed record NodeRoute(string NodeId, Uri InternalUrl);
