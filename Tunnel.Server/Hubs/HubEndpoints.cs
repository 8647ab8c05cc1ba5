using Tunnel.Contracts.Hubs;
using Tunnel.Contracts.Protocol;

namespace Tunnel.Server.Hubs;

internal static class HubEndpoints
{
    public static IEndpointRouteBuilder MapTunnelHub(this IEndpointRouteBuilder app)
    {
        app.MapHub<TunnelHub>(HubPaths.Tunnel, o =>
            {
                // One full chunk message fits the buffers, so a chunk is never split across backpressure pauses.
                o.ApplicationMaxBufferSize = TunnelProtocol.MaxMessageSize;
                o.TransportMaxBufferSize = TunnelProtocol.MaxMessageSize;
            });
        return app;
    }
}
