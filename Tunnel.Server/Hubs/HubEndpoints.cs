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

    /// <summary>
    /// <c>/ws</c> without <c>sender=true</c> is reserved for remote apps' plain WebSockets, which this server does
    /// not serve yet: refuse it clearly instead of letting the hub try.
    /// </summary>
    public static IApplicationBuilder UseSenderOnlyHub(this IApplicationBuilder app) =>
        app.UseWhen(
            c => c.Request.Path.StartsWithSegments(HubPaths.Tunnel)
                 && !string.Equals(c.Request.Query[HubPaths.SenderParameter], "true", StringComparison.OrdinalIgnoreCase),
            branch => branch.Run(c => TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Not a home server connection",
                detail: "Home servers connect to /ws with sender=true; remote apps' WebSockets are not served yet.").ExecuteAsync(c)));
}
