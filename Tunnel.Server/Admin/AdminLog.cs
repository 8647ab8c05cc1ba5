namespace Tunnel.Server.Admin;

/// <summary>Admin page events (7xx). Neither the admin token nor session ids are ever arguments here.</summary>
internal static partial class AdminLog
{
    [LoggerMessage(EventId = 700, EventName = "AdminSignedIn", Level = LogLevel.Information, Message = "Admin page: signed in from {RemoteAddress}.")]
    public static partial void SignedIn(ILogger logger, string remoteAddress);

    [LoggerMessage(EventId = 701, EventName = "AdminSignedOut", Level = LogLevel.Information, Message = "Admin page: signed out from {RemoteAddress}.")]
    public static partial void SignedOut(ILogger logger, string remoteAddress);

    [LoggerMessage(EventId = 702, EventName = "AdminForgeryRefused", Level = LogLevel.Warning, Message = "Admin page: {Method} {Path} from {RemoteAddress} refused with 403: its anti-forgery token is missing or wrong.")]
    public static partial void ForgeryRefused(ILogger logger, string method, string path, string remoteAddress);

    [LoggerMessage(EventId = 703, EventName = "AdminRevoked", Level = LogLevel.Information, Message = "Admin page: client {ClientId} revoked from {RemoteAddress}; agent disconnected: {AgentDisconnected}.")]
    public static partial void Revoked(ILogger logger, string clientId, string remoteAddress, bool agentDisconnected);
}
