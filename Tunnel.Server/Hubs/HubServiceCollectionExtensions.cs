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
        // Large body chunks from agents go into the blocks Kestrel's sockets read into (Hosting's block cache; BodyChunk.Rent
        // says which), so that the chunks many streams keep in flight are reused instead of left to the GC (issue 13).
        builder.Services.AddOptions<MessagePackHubProtocolOptions>()
            .Configure<LargeBlockMemoryPoolFactory>((o, blocks) => o.SerializerOptions = o.SerializerOptions.WithResolver(
                CompositeResolver.Create([new BodyChunkFormatter(blocks.Create())], [o.SerializerOptions.Resolver])));
        builder.Services.AddSingleton<ConnectedAgents>();
        builder.Services.AddSingleton<LegacySenderNotices>();
        return builder;
    }
}
