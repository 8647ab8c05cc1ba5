using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Tunnel.Agent.Telemetry;

/// <summary>
/// Serves <c>/metrics</c> (Prometheus text format) on <see cref="AgentTelemetryOptions.MetricsUrl"/> with a Kestrel
/// listener of its own, in the agent process. An empty builder: no configuration sources, so
/// the agent's settings do not leak into it.
/// </summary>
internal sealed class MetricsEndpointService(
    IOptions<AgentTelemetryOptions> options,
    IServiceProvider services,
    AgentMetrics metrics,
    ILogger<MetricsEndpointService> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>Where <c>/metrics</c> is served (the real port when 0 was asked); null without a metrics URL.</summary>
    public Uri? Address { get; private set; }

    /// <summary>The agent's meter; resolved here so that its gauges exist from the start.</summary>
    public AgentMetrics Metrics => metrics;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MetricsUrl is not { Length: > 0 } url)
        {
            return;
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls(url);
        var app = builder.Build();
        app.UseOpenTelemetryPrometheusScrapingEndpoint(
            services.GetRequiredService<MeterProvider>(), predicate: null!, path: "/metrics", configureBranchedPipeline: null!, optionsName: null!);
        app.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        await app.StartAsync(cancellationToken);
        _app = app;
        Address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First() + "/");
        AgentTelemetryLog.MetricsEndpointListening(logger, Address);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
