namespace Tunnel.Server.Auth;

/// <summary>Auth events (4xx). Tokens, signatures and magic tokens are never arguments here.</summary>
internal static partial class AuthLog
{
    [LoggerMessage(EventId = 400, EventName = "AuthRefused", Level = LogLevel.Information, Message = "{Route} refused for client {ClientId} from {RemoteAddress}: {Reason}")]
    public static partial void Refused(ILogger logger, string route, string clientId, string remoteAddress, string reason);

    [LoggerMessage(EventId = 401, EventName = "AuthRateLimited", Level = LogLevel.Warning, Message = "{Route} answered 429 to {RemoteAddress}: too many failed authentication attempts (retry after {RetryAfterSeconds} s).")]
    public static partial void RateLimited(ILogger logger, string route, string remoteAddress, string retryAfterSeconds);

    [LoggerMessage(EventId = 402, EventName = "SignatureTokenCreated", Level = LogLevel.Information, Message = "Signature token created for client {ClientId}, valid until {Expires:O}.")]
    public static partial void SignatureTokenCreated(ILogger logger, string clientId, DateTimeOffset expires);

    [LoggerMessage(EventId = 403, EventName = "SignatureTokensDeleted", Level = LogLevel.Information, Message = "Client {ClientId} deleted its {Count} signature tokens.")]
    public static partial void SignatureTokensDeleted(ILogger logger, string clientId, int count);

    [LoggerMessage(EventId = 404, EventName = "ClientRevoked", Level = LogLevel.Warning, Message = "Admin revoked client {ClientId}: {AccessTokens} access, {SignatureTokens} signature and {MagicTokens} magic tokens deleted; agent disconnected: {AgentDisconnected}.")]
    public static partial void ClientRevoked(ILogger logger, string clientId, int accessTokens, int signatureTokens, int magicTokens, bool agentDisconnected);

    [LoggerMessage(EventId = 405, EventName = "MagicTokenRegistered", Level = LogLevel.Information, Message = "Magic token registered for client {ClientId}, valid for {Lifetime}.")]
    public static partial void MagicTokenRegistered(ILogger logger, string clientId, TimeSpan lifetime);

    [LoggerMessage(EventId = 406, EventName = "MagicTokenTaken", Level = LogLevel.Warning, Message = "Client {ClientId} tried to register a magic token that another client holds; refused.")]
    public static partial void MagicTokenTaken(ILogger logger, string clientId);

    [LoggerMessage(EventId = 407, EventName = "MagicTokenUsed", Level = LogLevel.Information, Message = "Magic token of client {ClientId} used from {RemoteAddress}; forwarding to its home server.")]
    public static partial void MagicTokenUsed(ILogger logger, string clientId, string remoteAddress);

    [LoggerMessage(EventId = 408, EventName = "DeviceLinkCreated", Level = LogLevel.Information, Message = "Device link created for client {ClientId}, usable once until {Expires:O}.")]
    public static partial void DeviceLinkCreated(ILogger logger, string clientId, DateTimeOffset expires);

    [LoggerMessage(EventId = 409, EventName = "DeviceLinkUsed", Level = LogLevel.Information, Message = "Device link of client {ClientId} used from {RemoteAddress}; a new client access token was issued.")]
    public static partial void DeviceLinkUsed(ILogger logger, string clientId, string remoteAddress);

    [LoggerMessage(EventId = 420, EventName = "TokenCheckFromCache", Level = LogLevel.Warning, Message = "Database unreachable ({Error}) while checking a token of client {ClientId}; answered from what this node last knew.")]
    public static partial void TokenCheckFromCache(ILogger logger, string clientId, string error);
}
