namespace Tunnel.Agent.Telemetry;

internal static partial class AgentTelemetryLog
{
    [LoggerMessage(EventId = 560, EventName = "MetricsEndpointListening", Level = LogLevel.Information, Message = "Prometheus metrics at {Address}metrics.")]
    public static partial void MetricsEndpointListening(ILogger logger, Uri address);
}
