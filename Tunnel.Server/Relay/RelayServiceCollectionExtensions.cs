using Microsoft.Extensions.Options;

namespace Tunnel.Server.Relay;

internal static class RelayServiceCollectionExtensions
{
    public static WebApplicationBuilder AddRelay(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RelayOptions>()
            .BindConfiguration(RelayOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RelayOptions>, RelayOptionsValidator>();
        builder.Services.AddSingleton<RemoteRelays>();
        builder.Services.AddSingleton<RelayUpgrade>();
        return builder;
    }
}
