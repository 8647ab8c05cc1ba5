using Tunnel.Contracts.Messages;

namespace Tunnel.Server.Forwarding;

internal static partial class ForwardingLog
{
    [LoggerMessage(EventId = 300, EventName = "Forwarded", Message = "{Method} for client {ClientId} (request {RequestId}) ended with {StatusCode}: {Error} {Detail}")]
    public static partial void Forwarded(ILogger logger, LogLevel level, string method, string clientId, Guid requestId, int statusCode, ForwardingError error, string detail);

    [LoggerMessage(EventId = 301, EventName = "CancelNotDelivered", Level = LogLevel.Debug, Message = "Could not tell the agent to cancel request {RequestId}.")]
    public static partial void CancelNotDelivered(ILogger logger, Guid requestId, Exception exception);

    [LoggerMessage(EventId = 302, EventName = "ForeignRequest", Level = LogLevel.Warning, Message = "Connection {ConnectionId} answered request {RequestId}, which is not pending on it; ignored.")]
    public static partial void ForeignRequest(ILogger logger, string connectionId, Guid requestId);

    [LoggerMessage(EventId = 303, EventName = "AgentFailed", Level = LogLevel.Debug, Message = "Agent reported {Kind} for request {RequestId}.")]
    public static partial void AgentFailed(ILogger logger, Guid requestId, ForwardFailureKind kind);
}
