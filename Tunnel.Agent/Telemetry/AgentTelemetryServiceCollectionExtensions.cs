using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Tunnel.Agent.Telemetry;

internal static class AgentTelemetryServiceCollectionExtensions
{
    /// <summary>Environment variable (or configuration key) that turns on OTLP export of metrics and traces.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// The <c>Tunnel.Agent</c> meter and activity source through the OpenTelemetry SDK, exported as the server's are:
    /// Prometheus on <c>Agent:Telemetry:MetricsUrl</c>, OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
    /// </summary>
    public static IHostApplicationBuilder AddAgentTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AgentTelemetryOptions>()
            .BindConfiguration(AgentTelemetryOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AgentTelemetryOptions>, AgentTelemetryOptionsValidator>();
        builder.Services.AddSingleton<AgentMetrics>();
        builder.Services.AddSingleton<MetricsEndpointService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MetricsEndpointService>());

        var otlp = !string.IsNullOrEmpty(builder.Configuration[OtlpEndpointKey]);
        var scrape = !string.IsNullOrEmpty(builder.Configuration[AgentTelemetryOptions.SectionName + ":MetricsUrl"]);
        if (!otlp && !scrape)
        {
            // Nothing reads the meters: no SDK, so recording a measurement costs next to nothing.
            return builder;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("tunnel-agent", serviceInstanceId: builder.Configuration["Agent:ClientId"]))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(AgentMetrics.MeterName);
                if (scrape)
                {
                    metrics.AddPrometheusExporter();
                }

                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing.AddSource(AgentTracing.SourceName).AddOtlpExporter());
        }

        return builder;
    }
}
