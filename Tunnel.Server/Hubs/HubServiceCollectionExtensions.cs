using MessagePack.Resolvers;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.SignalR;
using Tunnel.Contracts.Wire;
using Tunnel.Contracts.Protocol;
using Tunnel.Server.Agents;
using Tunnel.Server.Forwarding;
using Tunnel.Server.Hosting;

namespace Tunnel.Server.Hubs;

internal static class HubServiceCollectionExtensions
{
    /// <summary>
    /// Keep-alive: the server pings every 5 s and drops an agent silent for 15 s (three missed pings), so a dead
    /// home link fails requests within seconds rather than minutes; the agent mirrors it (ServerTimeout 15 s).
    /// </summary>
    public static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan ClientTimeoutInterval = TimeSpan.FromSeconds(15);

    public static WebApplicationBuilder AddTunnelHub(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, AgentAuthenticationHandler>(AgentAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization();
        builder.Services.AddSignalR(o =>
            {
                o.KeepAliveInterval = KeepAliveInterval;
                o.ClientTimeoutInterval = ClientTimeoutInterval;
                o.MaximumReceiveMessageSize = TunnelProtocol.MaxMessageSize;
                // Above the largest credit window, so that an agent that respects its credit never fills the
                // buffer, which would stall the connection's whole receive loop.
                o.StreamBufferCapacity = ForwardingOptions.MaxCreditWindow * 2;
                o.EnableDetailedErrors = false;
            })
            .AddMessagePackProtocol();
        // Body chunks from agents are copied into the blocks Kestrel's sockets read into (Hosting's block cache), so
        // that the tens of MiB of chunks 64 streams keep in flight are reused instead of left to the GC: the
        // benchmark's 64 × 32 MiB peak, with chunks rented from ArrayPool.Shared (64 arrays of that size), grew by
        // the promoted chunks until a gen2 collection.
        builder.Services.AddOptions<MessagePackHubProtocolOptions>()
            .Configure<LargeBlockMemoryPoolFactory>((o, blocks) => o.SerializerOptions = o.SerializerOptions.WithResolver(
                CompositeResolver.Create([new BodyChunkFormatter(blocks.Create())], [o.SerializerOptions.Resolver])));
        builder.Services.AddSingleton<ConnectedAgents>();
        builder.Services.AddSingleton<LegacySenderNotices>();
        return builder;
    }
}
