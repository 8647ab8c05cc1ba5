namespace Tunnel.Server.Hosting;

internal static partial class HostingLog
{
    [LoggerMessage(EventId = 600, EventName = "Draining", Level = LogLevel.Information, Message = "Shutting down: refusing new requests, waiting up to {Limit} for {Count} in flight.")]
    public static partial void Draining(ILogger logger, int count, TimeSpan limit);

    [LoggerMessage(EventId = 601, EventName = "Drained", Level = LogLevel.Information, Message = "Drain finished with {Count} requests still in flight; closing connections.")]
    public static partial void Drained(ILogger logger, int count);
}
