using Microsoft.Extensions.Options;
using Tunnel.Server.Forwarding;

namespace Tunnel.Server.Hosting;

/// <summary>
/// Graceful shutdown for a tunnel. SignalR closes every hub connection when the application starts stopping, which
/// would cut the bodies still flowing through the agents. This service's stopping callback is registered after
/// SignalR's, so it runs first (cancellation callbacks run last-registered first): it turns new forwarded requests
/// away with 503 and holds the shutdown until in-flight requests are done or <see cref="TunnelOptions.DrainTimeout"/>
/// has passed. Only then do the agents' connections close.
/// </summary>
internal sealed class ShutdownDrain(
    IHostApplicationLifetime lifetime,
    PendingRequests pending,
    IOptions<TunnelOptions> options,
    ILogger<ShutdownDrain> logger) : IHostedService
{
    private volatile bool _draining;

    /// <summary>True once shutdown began: forwarding refuses new requests.</summary>
    public bool IsDraining => _draining;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(Drain);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Drain()
    {
        _draining = true;
        var limit = options.Value.DrainTimeout;
        HostingLog.Draining(logger, pending.Count, limit);
        var deadline = DateTime.UtcNow + limit;
        // Blocking on purpose: returning would let the next callback (SignalR's) close the agents' connections.
        while (pending.Count > 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }

        HostingLog.Drained(logger, pending.Count);
    }
}
