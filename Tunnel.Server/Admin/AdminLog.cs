namespace Tunnel.Server.Admin;

/// <summary>Admin page events (75x; 70x are Telemetry's). Neither the admin token nor session ids are ever arguments here.</summary>
internal static partial class AdminLog
{
    [LoggerMessage(EventId = 750, EventName = "AdminSignedIn", Level = LogLevel.Information, Message = "Admin page: signed in from {RemoteAddress}.")]
    public static partial void SignedIn(ILogger logger, string remoteAddress);

    [LoggerMessage(EventId = 751, EventName = "AdminSignedOut", Level = LogLevel.Information, Message = "Admin page: signed out from {RemoteAddress}.")]
    public static partial void SignedOut(ILogger logger, string remoteAddress);

    [LoggerMessage(EventId = 752, EventName = "AdminForgeryRefused", Level = LogLevel.Warning, Message = "Admin page: {Method} {Path} from {RemoteAddress} refused with 403: its anti-forgery token is missing or wrong.")]
    public static partial void ForgeryRefused(ILogger logger, string method, string path, string remoteAddress);

    [LoggerMessage(EventId = 753, EventName = "AdminRevoked", Level = LogLevel.Information, Message = "Admin page: client {ClientId} revoked from {RemoteAddress}; agent disconnected: {AgentDisconnected}.")]
    public static partial void Revoked(ILogger logger, string clientId, string remoteAddress, bool agentDisconnected);
}
