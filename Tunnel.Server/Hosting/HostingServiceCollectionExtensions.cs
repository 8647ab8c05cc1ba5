using Microsoft.Extensions.Options;

namespace Tunnel.Server.Hosting;

internal static class HostingServiceCollectionExtensions
{
    public static WebApplicationBuilder AddTunnelHosting(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TunnelOptions>()
            .BindConfiguration(TunnelOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TunnelOptions>, TunnelOptionsValidator>();
        builder.Services.AddProblemDetails();
        builder.WebHost.ConfigureKestrel(k =>
        {
            // Response bodies are streamed with flow control of their own; no extra buffering is wanted.
            k.AddServerHeader = false;
        });
        return builder;
    }
}
