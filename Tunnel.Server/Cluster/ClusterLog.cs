namespace Tunnel.Server.Cluster;

internal static partial class ClusterLog
{
    [LoggerMessage(EventId = 800, EventName = "NodeJoined", Level = LogLevel.Information, Message = "Node {NodeId} joined the cluster at {InternalUrl}.")]
    public static partial void NodeJoined(ILogger logger, string nodeId, string? internalUrl);

    [LoggerMessage(EventId = 801, EventName = "HeartbeatFailed", Level = LogLevel.Warning, Message = "Heartbeat of node {NodeId} failed: {Error}")]
    public static partial void HeartbeatFailed(ILogger logger, string nodeId, string error);

    [LoggerMessage(EventId = 802, EventName = "DeadNodesRemoved", Level = LogLevel.Information, Message = "Removed {Nodes} dead nodes and their {Connections} connection rows.")]
    public static partial void DeadNodesRemoved(ILogger logger, int nodes, int connections);

    [LoggerMessage(EventId = 803, EventName = "RowWrittenLate", Level = LogLevel.Information, Message = "Wrote the registry row of client {ClientId} ({ConnectionId}), accepted while the database was unreachable.")]
    public static partial void RowWrittenLate(ILogger logger, string clientId, string connectionId);

    [LoggerMessage(EventId = 804, EventName = "RowGone", Level = LogLevel.Information, Message = "The registry row of client {ClientId} ({ConnectionId}) is gone (revoked, or a newer agent connected elsewhere: {Displaced}); disconnecting it.")]
    public static partial void RowGone(ILogger logger, string clientId, string connectionId, bool displaced);

    [LoggerMessage(EventId = 805, EventName = "Hopped", Level = LogLevel.Debug, Message = "{Method} for client {ClientId} forwarded to node {NodeId}: {Error}.")]
    public static partial void Hopped(ILogger logger, string method, string clientId, string nodeId, string error);

    [LoggerMessage(EventId = 806, EventName = "HopFailed", Level = LogLevel.Warning, Message = "{Method} for client {ClientId} could not be forwarded to node {NodeId} ({InternalUrl}): {Error}.")]
    public static partial void HopFailed(ILogger logger, string method, string clientId, string nodeId, string internalUrl, string error);

    [LoggerMessage(EventId = 807, EventName = "HopRefused", Level = LogLevel.Warning, Message = "A request imitating a node-to-node hop from {RemoteAddress} was refused: {Reason}.")]
    public static partial void HopRefused(ILogger logger, string? remoteAddress, string reason);
}
