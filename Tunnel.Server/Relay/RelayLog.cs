namespace Tunnel.Server.Relay;

internal static partial class RelayLog
{
    [LoggerMessage(EventId = 600, EventName = "RelayOpened", Level = LogLevel.Information, Message = "Relay {RelayId} of client {ClientId} opened through agent connection {ConnectionId}.")]
    public static partial void Opened(ILogger logger, Guid relayId, string clientId, string connectionId);

    [LoggerMessage(EventId = 601, EventName = "RelayClosed", Level = LogLevel.Information, Message = "Relay {RelayId} of client {ClientId} closed: {End}, close status {CloseStatus}; {BytesToHome} bytes to the home server, {BytesToRemote} bytes to the remote app.")]
    public static partial void Closed(ILogger logger, Guid relayId, string clientId, RelayEnd end, int closeStatus, long bytesToHome, long bytesToRemote);

    [LoggerMessage(EventId = 602, EventName = "RelayRefused", Level = LogLevel.Information, Message = "Relay {RelayId} of client {ClientId} not opened: {StatusCode} {Detail}")]
    public static partial void Refused(ILogger logger, Guid relayId, string clientId, int statusCode, string detail);

    [LoggerMessage(EventId = 603, EventName = "ForeignRelay", Level = LogLevel.Warning, Message = "Connection {ConnectionId} sent {Method} for relay {RelayId}, which is not open on it; ignored.")]
    public static partial void ForeignRelay(ILogger logger, string connectionId, string method, Guid relayId);

    [LoggerMessage(EventId = 604, EventName = "RelayCloseNotDelivered", Level = LogLevel.Debug, Message = "Could not tell the agent to close relay {RelayId}.")]
    public static partial void CloseNotDelivered(ILogger logger, Guid relayId, Exception exception);
}
