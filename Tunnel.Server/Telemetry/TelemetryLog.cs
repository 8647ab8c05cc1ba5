namespace Tunnel.Server.Telemetry;

internal static partial class TelemetryLog
{
    [LoggerMessage(EventId = 700, EventName = "MetricsEndpointListening", Level = LogLevel.Information, Message = "Prometheus metrics at {Address}metrics.")]
    public static partial void MetricsEndpointListening(ILogger logger, Uri address);
}
