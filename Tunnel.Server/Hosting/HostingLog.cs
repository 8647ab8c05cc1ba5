namespace Tunnel.Server.Hosting;

// 900s: 600-604 are the relay's (Relay/RelayLog, README "Live updates"); these once shared 600 and 601 with it.
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 900, EventName = "Draining", Level = LogLevel.Information, Message = "Shutting down: refusing new requests, waiting up to {Limit} for {Count} in flight.")]
    public static partial void Draining(ILogger logger, int count, TimeSpan limit);

    [LoggerMessage(EventId = 901, EventName = "Drained", Level = LogLevel.Information, Message = "Drain finished with {Count} requests still in flight; closing connections.")]
    public static partial void Drained(ILogger logger, int count);

    [LoggerMessage(EventId = 902, EventName = "IdleBuffersReleased", Level = LogLevel.Debug, Message = "A burst is over: {DroppedMiB} MiB of I/O buffers dropped; a full collection gave memory back to the system in {PauseMs} ms.")]
    public static partial void IdleBuffersReleased(ILogger logger, long droppedMiB, long pauseMs);
}
