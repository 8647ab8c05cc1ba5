namespace Tunnel.Agent.ServeDir;

internal static partial class ServeDirLog
{
    [LoggerMessage(EventId = 570, EventName = "ServingDirectory", Level = LogLevel.Information, Message = "Serving the folder {Root} as the origin at {OriginUrl} (loopback only).")]
    public static partial void ServingDirectory(ILogger logger, string root, Uri originUrl);
}
