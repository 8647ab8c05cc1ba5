using Microsoft.Extensions.Options;

namespace Tunnel.Agent.Links;

/// <summary>Registers the <c>link</c> command: the agent's options (same section and checks) and its own.</summary>
public static class DeviceLinkServiceCollectionExtensions
{
    /// <summary>Adds what <c>Tunnel.Agent link</c> needs; configuration from the <c>Agent</c> section.</summary>
    public static IHostApplicationBuilder AddDeviceLinkCommand(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AgentOptions>()
            .BindConfiguration(AgentOptions.SectionName);
        services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsAnnotationsValidator>();
        services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>();
        services.AddOptions<DeviceLinkOptions>().BindConfiguration(DeviceLinkOptions.SectionName);
        services.AddSingleton<IValidateOptions<DeviceLinkOptions>, DeviceLinkOptionsValidator>();
        services.AddHttpClient<DeviceLinkCommand>(DeviceLinkCommand.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        return builder;
    }

    /// <summary>
    /// Runs the command on a built host: options are checked first (an <see cref="OptionsValidationException"/>
    /// names the bad keys), then the link is asked for and printed.
    /// </summary>
    public static Task<int> RunDeviceLinkCommandAsync(this IHost host, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var services = host.Services;
        _ = services.GetRequiredService<IOptions<AgentOptions>>().Value;
        _ = services.GetRequiredService<IOptions<DeviceLinkOptions>>().Value;
        return services.GetRequiredService<DeviceLinkCommand>().RunAsync(output, error, cancellationToken);
    }
}
