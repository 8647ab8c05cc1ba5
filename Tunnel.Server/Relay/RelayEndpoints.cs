using Tunnel.Contracts.Hubs;

namespace Tunnel.Server.Relay;

internal static class RelayEndpoints
{
    /// <summary>
    /// <c>/ws</c> without <c>sender=true</c> is a remote app's live-updates WebSocket: relayed to its home server's
    /// <c>/ws</c> (<see cref="RelayUpgrade"/>). With <c>sender=true</c> it stays the agents' hub. Query parameter
    /// names are matched case-insensitively.
    /// </summary>
    public static IApplicationBuilder UseRemoteRelay(this IApplicationBuilder app) =>
        app.UseWhen(
            c => c.Request.Path.StartsWithSegments(HubPaths.Tunnel)
                 && !string.Equals(c.Request.Query[HubPaths.SenderParameter], "true", StringComparison.OrdinalIgnoreCase),
            branch =>
            {
                branch.UseWebSockets();
                branch.Run(c => c.RequestServices.GetRequiredService<RelayUpgrade>().HandleAsync(c));
            });
}
