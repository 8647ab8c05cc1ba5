namespace Tunnel.Server.Telemetry;

/// <summary>Where the server's metrics can be read. Section <c>Tunnel:Telemetry</c>.</summary>
internal sealed class TelemetryOptions
{
    public const string SectionName = "Tunnel:Telemetry";

    /// <summary>
    /// An <c>http://host:port</c> URL on which a listener of its own serves the Prometheus scrape endpoint
    /// <c>/metrics</c> and nothing else, e.g. <c>http://127.0.0.1:9464</c>. Off the public port on purpose: no
    /// caller of the tunnel can read it, and Prometheus needs no secret. Default unset: no scrape endpoint (OTLP export
    /// still works when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set).
    /// </summary>
    public string? MetricsUrl { get; set; }
}
