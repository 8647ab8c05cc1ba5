namespace Tunnel.Server.Hubs;

internal static partial class HubLog
{
    [LoggerMessage(EventId = 100, EventName = "AgentConnected", Level = LogLevel.Information, Message = "Agent of client {ClientId} connected ({ConnectionId}).")]
    public static partial void AgentConnected(ILogger logger, string clientId, string connectionId);

    [LoggerMessage(EventId = 101, EventName = "AgentDisconnected", Level = LogLevel.Information, Message = "Agent of client {ClientId} disconnected ({ConnectionId}): {Reason}")]
    public static partial void AgentDisconnected(ILogger logger, string clientId, string connectionId, string reason);

    [LoggerMessage(EventId = 102, EventName = "AgentRefused", Level = LogLevel.Warning, Message = "Agent connection for client {ClientId} refused: the token is not a client access token of that client.")]
    public static partial void AgentRefused(ILogger logger, string clientId);

    [LoggerMessage(EventId = 103, EventName = "AgentDisplaced", Level = LogLevel.Warning, Message = "Agent of client {ClientId} on {OldConnectionId} replaced by a newer one on {NewConnectionId}.")]
    public static partial void AgentDisplaced(ILogger logger, string clientId, string oldConnectionId, string newConnectionId);

    [LoggerMessage(EventId = 104, EventName = "LegacySenderRefused", Level = LogLevel.Warning, Message = "The home server of client {ClientId} tried to connect from {RemoteAddress} with MoosicBox's own tunnel sender (a /ws?sender=true request carrying a signature but no access token); refused with 401. Its operator must unset WS_HOST in the MoosicBox server's environment and run Tunnel.Agent beside it instead (see README, \"Moving from MoosicBox's tunnel\"). Logged once an hour per client.")]
    public static partial void LegacySenderRefused(ILogger logger, string clientId, string remoteAddress);
}
