namespace Tunnel.Agent.Relay;

internal static partial class RelayLog
{
    [LoggerMessage(EventId = 650, EventName = "LocalRelayOpened", Level = LogLevel.Debug, Message = "Relay {RelayId}: the home server's /ws accepted the WebSocket.")]
    public static partial void Opened(ILogger logger, Guid relayId);

    [LoggerMessage(EventId = 651, EventName = "LocalRelayRefused", Level = LogLevel.Warning, Message = "Relay {RelayId}: the home server's /ws could not be opened ({StatusCode}): {Reason}")]
    public static partial void Refused(ILogger logger, Guid relayId, int statusCode, string reason);

    [LoggerMessage(EventId = 652, EventName = "LocalRelayClosed", Level = LogLevel.Debug, Message = "Relay {RelayId} closed: {Reason}; {BytesToHome} bytes to the home server, {BytesToRemote} bytes from it.")]
    public static partial void Closed(ILogger logger, Guid relayId, string reason, long bytesToHome, long bytesToRemote);

    [LoggerMessage(EventId = 653, EventName = "LocalRelayNotifyFailed", Level = LogLevel.Debug, Message = "Relay {RelayId}: could not tell the server.")]
    public static partial void NotifyFailed(ILogger logger, Guid relayId, Exception exception);
}
