using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Tunnel.Server.Hosting;

internal static class HostingServiceCollectionExtensions
{
    /// <summary>The original's port, used when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c> says otherwise.</summary>
    public const string DefaultUrl = "http://localhost:8000";

    public static WebApplicationBuilder AddTunnelHosting(this WebApplicationBuilder builder)
    {
        // In code rather than appsettings.json: `dotnet run --project Tunnel.Server` from another folder does not
        // load the project's appsettings.json, and the default must hold there too.
        // Kestrel:Endpoints (e.g. an HTTPS endpoint with its certificate) replaces the default too.
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]) && !builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.AddOptions<TunnelOptions>()
            .BindConfiguration(TunnelOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TunnelOptions>, TunnelOptionsValidator>();
        // Type=notify and journal-friendly logs under systemd (deploy/tunnel-server.service); a no-op otherwise.
        builder.Services.AddSystemd();
        builder.Services.AddSingleton<ShutdownDrain>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ShutdownDrain>());
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
            c.ProblemDetails.Type ??= ProblemTypes.For(c.ProblemDetails.Status ?? c.HttpContext.Response.StatusCode));
        builder.Services.AddLogRedaction();
        // Kestrel's sockets and pipes read into these blocks (LargeBlockMemoryPoolFactory says why and what it saves).
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<LargeBlockMemoryPoolFactory>();
        builder.Services.Replace(ServiceDescriptor.Singleton<IMemoryPoolFactory<byte>>(sp => sp.GetRequiredService<LargeBlockMemoryPoolFactory>()));
        builder.WebHost.ConfigureKestrel(k =>
        {
            // Response bodies are streamed with flow control of their own; no extra buffering is wanted.
            k.AddServerHeader = false;
            // Four times the limits RequestLimitsMiddleware enforces with a problem body.
            k.Limits.MaxRequestLineSize = 4 * RequestLimitsMiddleware.MaxTargetLength;
            k.Limits.MaxRequestHeadersTotalSize = 4 * RequestLimitsMiddleware.MaxHeaderBytes;
            // Header values are opaque bytes (obs-text, RFC 9110 §5.5): Latin-1 maps each byte to one char and back,
            // so a raw UTF-8 file name crosses the tunnel unchanged instead of being refused (issue 10).
            k.RequestHeaderEncodingSelector = _ => System.Text.Encoding.Latin1;
            k.ResponseHeaderEncodingSelector = _ => System.Text.Encoding.Latin1;
        });
        return builder;
    }
}
