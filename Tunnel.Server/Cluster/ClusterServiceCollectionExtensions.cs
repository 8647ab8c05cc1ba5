using Microsoft.Extensions.Options;

namespace Tunnel.Server.Cluster;

internal static class ClusterServiceCollectionExtensions
{
    /// <summary>Node registration and heartbeats, cross-node routing (YARP) and hop checks (issue 12).</summary>
    public static WebApplicationBuilder AddCluster(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ClusterOptions>()
            .BindConfiguration(ClusterOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClusterOptions>, ClusterOptionsValidator>();
        services.AddHttpForwarder();
        services.AddSingleton<ClusterNodes>();
        services.AddSingleton<ClusterHop>();
        services.AddSingleton<ClusterRouter>();
        services.AddHostedService<ClusterHeartbeatService>();
        return builder;
    }
}
