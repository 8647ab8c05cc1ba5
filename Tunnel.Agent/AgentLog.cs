namespace Tunnel.Agent;

internal static partial class AgentLog
{
    [LoggerMessage(EventId = 500, EventName = "Connected", Level = LogLevel.Information, Message = "Connected to {ServerUrl} as client {ClientId}.")]
    public static partial void Connected(ILogger logger, Uri serverUrl, string clientId);

    [LoggerMessage(EventId = 501, EventName = "ConnectFailed", Level = LogLevel.Warning, Message = "Could not connect to {ServerUrl}: {Reason}. Retrying in {Delay}.")]
    public static partial void ConnectFailed(ILogger logger, Uri serverUrl, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 502, EventName = "ConnectionLost", Level = LogLevel.Warning, Message = "Connection to the tunnel server lost: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, string? reason);

    [LoggerMessage(EventId = 503, EventName = "Reconnected", Level = LogLevel.Information, Message = "Reconnected to the tunnel server.")]
    public static partial void Reconnected(ILogger logger);

    [LoggerMessage(EventId = 504, EventName = "Displaced", Level = LogLevel.Critical, Message = "Replaced by another agent for the same client: {Reason} This agent stops and will not reconnect.")]
    public static partial void Displaced(ILogger logger, string reason);

    [LoggerMessage(EventId = 505, EventName = "RequestFailed", Level = LogLevel.Warning, Message = "Request {RequestId} failed inside the agent.")]
    public static partial void RequestFailed(ILogger logger, Guid requestId, Exception exception);

    [LoggerMessage(EventId = 506, EventName = "OriginUnreachable", Level = LogLevel.Warning, Message = "Request {RequestId}: the origin could not be reached: {Reason}")]
    public static partial void OriginUnreachable(ILogger logger, Guid requestId, string reason);

    [LoggerMessage(EventId = 507, EventName = "OriginBodyIdle", Level = LogLevel.Warning, Message = "Request {RequestId}: the origin sent no body bytes for {IdleTimeout}; the response is broken off.")]
    public static partial void OriginBodyIdle(ILogger logger, Guid requestId, TimeSpan idleTimeout);

    [LoggerMessage(EventId = 508, EventName = "OriginInvalidResponse", Level = LogLevel.Warning, Message = "Request {RequestId}: the origin's response cannot be forwarded: {Reason}")]
    public static partial void OriginInvalidResponse(ILogger logger, Guid requestId, string reason);

    [LoggerMessage(EventId = 510, EventName = "SettingsReloaded", Level = LogLevel.Information, Message = "New agent settings applied ({Changed}).")]
    public static partial void SettingsReloaded(ILogger logger, string changed);

    [LoggerMessage(EventId = 511, EventName = "SettingRefused", Level = LogLevel.Warning, Message = "New agent settings refused, the agent keeps its last good settings: {Key}: {Problem}")]
    public static partial void SettingRefused(ILogger logger, string key, string problem);

    [LoggerMessage(EventId = 512, EventName = "Disabled", Level = LogLevel.Information, Message = "The agent is disabled (Agent:Enabled is false): not connected, waiting for Agent:Enabled to be true.")]
    public static partial void Disabled(ILogger logger);

    [LoggerMessage(EventId = 513, EventName = "Reconfiguring", Level = LogLevel.Information, Message = "Leaving the tunnel server connection ({Reason}): new requests are refused, {InFlight} in flight may finish within {DrainTimeout}.")]
    public static partial void Reconfiguring(ILogger logger, string reason, int inFlight, TimeSpan drainTimeout);

    [LoggerMessage(EventId = 514, EventName = "FlushFailed", Level = LogLevel.Warning, Message = "Draining: the server did not confirm the last responses before the agent left ({Reason}); a caller may see an aborted body.")]
    public static partial void FlushFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 515, EventName = "TokenRefused", Level = LogLevel.Error, Message = "{ServerUrl} refused the access token of client {ClientId} (401): it is wrong, revoked or another client's. Get a new one (POST /auth/register-client with the admin token) and set Agent:AccessToken; the agent picks it up without a restart. Retrying in {Delay}.")]
    public static partial void TokenRefused(ILogger logger, Uri serverUrl, string clientId, TimeSpan delay);
}
