using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Tunnel.Server.Hosting;

internal static class CorsServiceCollectionExtensions
{
    /// <summary>
    /// Response headers a browser script may read: what media players and Range requests need, plus the htmx
    /// response headers the original exposes, for htmx pages served by the home server through the tunnel.
    /// </summary>
    public static readonly string[] ExposedHeaders =
    [
        HeaderNames.ContentRange, HeaderNames.ContentLength, HeaderNames.AcceptRanges, HeaderNames.ContentType,
        HeaderNames.ContentDisposition, HeaderNames.ContentEncoding, HeaderNames.ETag, HeaderNames.LastModified,
        HeaderNames.RetryAfter, HeaderNames.WWWAuthenticate,
        "hx-location", "hx-push-url", "hx-redirect", "hx-refresh", "hx-replace-url", "hx-reswap", "hx-retarget",
        "hx-reselect", "hx-trigger", "hx-trigger-after-settle", "hx-trigger-after-swap",
    ];

    /// <summary>Browsers may cache a preflight answer this long.</summary>
    public static readonly TimeSpan PreflightMaxAge = TimeSpan.FromHours(1);

    /// <summary>
    /// CORS as the original: by default any origin (reflected, so that credentials are allowed), any method and
    /// request header (a superset of the original's <c>authorization, accept, content-type, moosicbox-profile,
    /// hx-*</c>: a browser gets back exactly the headers its preflight asked for); <c>Tunnel:Cors:AllowedOrigins</c> narrows the origins. Applied by <c>app.UseCors()</c> to
    /// every answer, forwarded or the tunnel's own, and preflights are answered without reaching a home server.
    /// </summary>
    public static WebApplicationBuilder AddTunnelCors(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TunnelCorsOptions>()
            .BindConfiguration(TunnelCorsOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TunnelCorsOptions>, TunnelCorsOptionsValidator>();
        builder.Services.AddCors();
        builder.Services.AddOptions<CorsOptions>().Configure<IOptions<TunnelCorsOptions>>((cors, tunnel) =>
            cors.AddDefaultPolicy(policy =>
            {
                var origins = tunnel.Value.Origins();
                if (origins.Count == 0)
                {
                    policy.SetIsOriginAllowed(_ => true);
                }
                else
                {
                    policy.WithOrigins([.. origins]);
                }

                policy.AllowCredentials()
                    .AllowAnyMethod()
                    .AllowAnyHeader()
                    .WithExposedHeaders(ExposedHeaders)
                    .SetPreflightMaxAge(PreflightMaxAge);
            }));
        return builder;
    }
}
