using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Tunnel.Agent.HubProtocol;

/// <summary>Registers <see cref="TunnelMessagePackHubProtocol"/> on a hub connection.</summary>
internal static class HubProtocolBuilderExtensions
{
    /// <summary>
    /// Speaks SignalR's <c>messagepack</c> protocol through <see cref="TunnelMessagePackHubProtocol"/>, in place of
    /// <c>AddMessagePackProtocol()</c> (not usable under Native AOT). The connection takes the protocol added last.
    /// </summary>
    public static IHubConnectionBuilder AddTunnelMessagePackProtocol(this IHubConnectionBuilder builder)
    {
        builder.Services.TryAddSingleton<ContractFormatters>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHubProtocol, TunnelMessagePackHubProtocol>());
        return builder;
    }
}
