using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

using Tunnel.Server.Forwarding;

namespace Tunnel.Server.Telemetry;

/// <summary>
/// Serves <c>/metrics</c> (Prometheus text format) on <see cref="TelemetryOptions.MetricsUrl"/> with a Kestrel
/// listener of its own, apart from the public port and its routes. An empty builder: no configuration sources, so
/// the server's own Kestrel endpoints are not repeated here.
/// </summary>
internal sealed class MetricsEndpointService(
    IOptions<TelemetryOptions> options,
    IServiceProvider services,
    ServerMetrics metrics,
    ILogger<MetricsEndpointService> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>Where <c>/metrics</c> is served (the real port when 0 was asked); null without a metrics URL.</summary>
    public Uri? Address { get; private set; }

    /// <summary>The server's meter; resolved here so that its gauges exist from the start.</summary>
    public ServerMetrics Metrics => metrics;

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
        TelemetryLog.MetricsEndpointListening(logger, Address);
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
