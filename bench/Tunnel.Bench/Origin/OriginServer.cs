using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tunnel.Bench.Origin;

/// <summary>
/// The home server every path reaches: Kestrel on 127.0.0.1, in the bench process.
/// <c>GET /file/{bytes}</c> answers that many bytes of <see cref="TestPattern"/> with Content-Length, written in
/// 64 KiB slices from memory (no disk); <c>GET /json</c> answers a fixed 1 KiB JSON document. The soak's endpoints
/// (<see cref="SoakEndpoints"/>) add per-request bodies, <c>Range</c> and uploads; <c>/ws</c> echoes WebSocket
/// messages (<see cref="EchoWebSocketEndpoint"/>).
/// </summary>
internal sealed class OriginServer : IAsyncDisposable
{
    public const int JsonLength = 1024;

    private const int WriteSize = 64 * 1024;

    private readonly WebApplication _app;

    private OriginServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The 1 KiB JSON body of <c>/json</c>.</summary>
    public static byte[] Json { get; } = BuildJson();

    public Uri BaseAddress { get; }

    public int Port => BaseAddress.Port;

    public static async Task<OriginServer> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = null;
            k.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        app.MapGet("/json", WriteJsonAsync);
        app.MapGet("/file/{length:long}", WriteFileAsync);
        SoakEndpoints.Map(app);
        EchoWebSocketEndpoint.Map(app);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.First()
            ?? throw new InvalidOperationException("the origin has no address");
        return new OriginServer(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }

    private static Task WriteJsonAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = Json.Length;
        return context.Response.Body.WriteAsync(Json, context.RequestAborted).AsTask();
    }

    private static async Task WriteFileAsync(HttpContext context, long length)
    {
        if (length < 0)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = length;
        var body = context.Response.Body;
        for (long offset = 0; offset < length;)
        {
            var n = (int)Math.Min(WriteSize, length - offset);
            await body.WriteAsync(TestPattern.Slice(offset, n), context.RequestAborted);
            offset += n;
        }
    }

    private static byte[] BuildJson()
    {
        // {"items":[{"id":0,"title":"track-0000",...}, ...],"pad":"xxx"} padded to exactly 1024 bytes.
        var text = new StringBuilder("{\"items\":[");
        for (var i = 0; i < 12; i++)
        {
            text.Append(i == 0 ? "" : ",").Append("{\"id\":").Append(i).Append(",\"title\":\"track-").Append(i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)).Append("\",\"ms\":").Append(180_000 + i).Append('}');
        }

        text.Append("],\"pad\":\"");
        var pad = JsonLength - Encoding.UTF8.GetByteCount(text.ToString()) - 2;
        text.Append('x', pad).Append("\"}");
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        return bytes.Length == JsonLength ? bytes : throw new InvalidOperationException($"JSON is {bytes.Length} bytes, not {JsonLength}.");
    }
}
