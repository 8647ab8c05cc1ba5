namespace Tunnel.Agent.Telemetry;

/// <summary>Where the agent's metrics can be read. Section <c>Agent:Telemetry</c>.</summary>
internal sealed class AgentTelemetryOptions
{
    public const string SectionName = "Agent:Telemetry";

    /// <summary>
    /// An <c>http://host:port</c> URL on which the agent serves the Prometheus scrape endpoint <c>/metrics</c>, e.g.
    /// <c>http://127.0.0.1:9465</c>. Default unset: no scrape endpoint (OTLP export still works when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set).
    /// </summary>
    public string? MetricsUrl { get; set; }
}
