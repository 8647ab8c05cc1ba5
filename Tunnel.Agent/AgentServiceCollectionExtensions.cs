using Microsoft.Extensions.Options;
using Tunnel.Agent.Connection;
using Tunnel.Agent.Origin;
using Tunnel.Agent.Relay;
using Tunnel.Agent.Requests;
using Tunnel.Agent.Telemetry;
using Tunnel.Contracts.Hubs;

namespace Tunnel.Agent;

/// <summary>Registers the agent: options, the origin client, request handling and the connection service.</summary>
public static class AgentServiceCollectionExtensions
{
    /// <summary>Adds the tunnel agent to a host; configuration comes from the <c>Agent</c> section.</summary>
    public static IHostApplicationBuilder AddTunnelAgent(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AgentOptions>()
            .BindConfiguration(AgentOptions.SectionName)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsAnnotationsValidator>();
        services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>();
        // The host must wait for the drain, plus a moment to close the connection cleanly.
        services.AddOptions<HostOptions>()
            .Configure<IOptions<AgentOptions>>((host, agent) => host.ShutdownTimeout = agent.Value.DrainTimeout + TimeSpan.FromSeconds(5));

        services.AddHttpClient<OriginClient>(OriginClient.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() =>
            {
                var handler = new SocketsHttpHandler();
                OriginClient.ConfigureHandler(handler);
                return handler;
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);

        // Reloaded settings (appsettings.json changes, Agent:Enabled) apply while running; bad ones are refused.
        services.AddSingleton<AgentSettings>();
        AgentSettings.SurviveBrokenFiles(builder.Configuration);
        services.AddSingleton<ServerCertificateTrust>();
        services.AddSingleton<TunnelHubClient>();
        services.AddSingleton<ITunnelHub>(sp => sp.GetRequiredService<TunnelHubClient>());
        services.AddSingleton<ActiveRequests>();
        services.AddSingleton<UploadWindows>();
        services.AddSingleton<RequestHandler>();
        services.AddSingleton<LocalRelays>();
        services.AddSingleton<AgentCommands>();
        services.AddHostedService<AgentConnectionService>();
        services.AddSingleton(sp => new AgentGaugeSources(
            () => sp.GetRequiredService<TunnelHubClient>().IsConnected,
            () => sp.GetRequiredService<ActiveRequests>().Count));
        builder.AddAgentTelemetry();
        return builder;
    }
}
