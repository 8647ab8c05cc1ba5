namespace Tunnel.Server.Registry;

internal static partial class RegistryLog
{
    [LoggerMessage(EventId = 200, EventName = "Migrated", Level = LogLevel.Information, Message = "Registry database ({Provider}) is up to date.")]
    public static partial void Migrated(ILogger logger, DatabaseProvider provider);

    [LoggerMessage(EventId = 201, EventName = "StaleRowsRemoved", Level = LogLevel.Information, Message = "Removed {Count} stale connection rows of node {NodeId}.")]
    public static partial void StaleRowsRemoved(ILogger logger, int count, string nodeId);

    [LoggerMessage(EventId = 202, EventName = "RegistryWriteFailed", Level = LogLevel.Warning, Message = "Registry write for client {ClientId} failed.")]
    public static partial void RegistryWriteFailed(ILogger logger, string clientId, Exception exception);
}
