using Microsoft.Extensions.Options;
using Tunnel.Server.Forwarding;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Tunnel.Server.Telemetry;

internal static class TelemetryServiceCollectionExtensions
{
    /// <summary>Environment variable (or configuration key) that turns on OTLP export of metrics and traces.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// The <c>Tunnel.Server</c> meter and activity source through the OpenTelemetry SDK: a Prometheus scrape endpoint on
    /// <c>Tunnel:Telemetry:MetricsUrl</c>, and OTLP export of metrics and traces when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
    /// is set (the other <c>OTEL_*</c> variables apply as usual). Without OTLP no span is made and callers'
    /// <c>traceparent</c> passes through unchanged.
    /// </summary>
    public static WebApplicationBuilder AddTunnelTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelemetryOptions>()
            .BindConfiguration(TelemetryOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>();
        builder.Services.AddSingleton<MetricsEndpointService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MetricsEndpointService>());

        var otlp = !string.IsNullOrEmpty(builder.Configuration[OtlpEndpointKey]);
        var scrape = !string.IsNullOrEmpty(builder.Configuration[TelemetryOptions.SectionName + ":MetricsUrl"]);
        if (!otlp && !scrape)
        {
            // Nothing reads the meters: no SDK, so recording a measurement costs next to nothing.
            return builder;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("tunnel-server", serviceInstanceId: builder.Configuration["Tunnel:NodeId"]))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ServerMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel");
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
            telemetry.WithTracing(tracing => tracing
                .AddSource(ServerTracing.SourceName, "Microsoft.AspNetCore")
                .AddOtlpExporter());
        }

        return builder;
    }
}
