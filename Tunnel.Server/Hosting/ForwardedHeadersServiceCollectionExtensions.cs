using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Tunnel.Server.Hosting;

internal static class ForwardedHeadersServiceCollectionExtensions
{
    /// <summary>
    /// The framework's forwarded-headers middleware, trusting only <c>Tunnel:ForwardedHeaders</c>'s proxies (none by
    /// default; the framework's own default of trusting loopback is cleared). <c>X-Forwarded-Host</c> is not used.
    /// </summary>
    public static WebApplicationBuilder AddTunnelForwardedHeaders(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TunnelForwardedHeadersOptions>()
            .BindConfiguration(TunnelForwardedHeadersOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TunnelForwardedHeadersOptions>, TunnelForwardedHeadersOptionsValidator>();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<TunnelForwardedHeadersOptions>>((forwarded, tunnel) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            // The obsolete list still holds the framework's default 127.0.0.0/8 and the middleware still reads it.
#pragma warning disable ASPDEPR005
            forwarded.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            // Walk X-Forwarded-For from the right while each hop is trusted (a CDN in front of nginx, say), and stop
            // at the first address no trusted proxy vouches for: that is the caller.
            forwarded.ForwardLimit = null;
            foreach (var proxy in TunnelForwardedHeadersOptions.Split(tunnel.Value.KnownProxies))
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in TunnelForwardedHeadersOptions.Split(tunnel.Value.KnownNetworks))
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return builder;
    }

    /// <summary>
    /// First in the pipeline, so that the failed-auth limiter, CORS and every log see the caller's address. Only
    /// when a proxy is trusted: the framework's middleware with empty lists trusts every sender. Decided when the
    /// pipeline is built (at start, after the options were validated).
    /// </summary>
    public static WebApplication UseTunnelForwardedHeaders(this WebApplication app)
    {
        app.Use(next =>
        {
            var services = app.Services;
            if (!services.GetRequiredService<IOptions<TunnelForwardedHeadersOptions>>().Value.Any)
            {
                return next;
            }

            var middleware = new ForwardedHeadersMiddleware(
                next, services.GetRequiredService<ILoggerFactory>(), services.GetRequiredService<IOptions<ForwardedHeadersOptions>>());
            return middleware.Invoke;
        });
        return app;
    }
}
