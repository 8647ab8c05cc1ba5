using Microsoft.Extensions.Options;

namespace Tunnel.Server.Forwarding;

internal static class ForwardingServiceCollectionExtensions
{
    public static WebApplicationBuilder AddForwarding(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ForwardingOptions>()
            .BindConfiguration(ForwardingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ForwardingOptions>, ForwardingOptionsValidator>();
        builder.Services.AddSingleton<PendingRequests>();
        builder.Services.AddSingleton<BufferBudget>();
        builder.Services.AddSingleton<ResponseWindows>();
        builder.Services.AddSingleton<ServerMetrics>();
        builder.Services.AddSingleton<RequestForwarder>();
        return builder;
    }
}
