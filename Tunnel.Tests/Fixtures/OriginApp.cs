using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tunnel.Tests.Fixtures;

/// <summary>
/// A real Kestrel app standing in for MoosicBox: pattern files with Range, echo of body and headers, slow,
/// stalling and failing endpoints. Counts cancellations so tests can see the agent stop origin requests.
/// </summary>
public sealed class OriginApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _cancelledRequests;
    private int _requests;
    private int _completedUploads;
    private int _endedRequests;
    private long _uploadedBytes;

    private OriginApp(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public int Seed { get; private init; }

    /// <summary>The stand-in of the home server's local <c>/ws</c> (live updates), mapped at <c>/ws</c>.</summary>
    public HomeWebSocketEndpoint Home { get; private set; } = null!;

    /// <summary><c>ws://…/ws</c> of this origin with <paramref name="query"/> (without '?').</summary>
    public Uri WebSocketUri(string query = "moosicboxProfile=master") =>
        new($"ws://{BaseAddress.Authority}/ws" + (query.Length > 0 ? "?" + query : ""));

    public int CancelledRequests => Volatile.Read(ref _cancelledRequests);

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Requests whose handling has finished, however it ended: equal to <see cref="Requests"/> when none runs.</summary>
    public int EndedRequests => Volatile.Read(ref _endedRequests);

    /// <summary>Uploads /upload read to their end: a truncated body that looked complete would count here.</summary>
    public int CompletedUploads => Volatile.Read(ref _completedUploads);

    /// <summary>Body bytes /upload has read so far, over all requests: a growing count shows an upload under way.</summary>
    public long UploadedBytes => Interlocked.Read(ref _uploadedBytes);

    public static async Task<OriginApp> StartAsync(int seed = 0, HomeWebSocketSettings? home = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var origin = new OriginApp(app) { Seed = seed };
        origin.Home = new HomeWebSocketEndpoint(home ?? new HomeWebSocketSettings(), app.Lifetime.ApplicationStopping);
        origin.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        origin.BaseAddress = new Uri(address);
        return origin;
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            Interlocked.Increment(ref _requests);
            context.RequestAborted.Register(() => Interlocked.Increment(ref _cancelledRequests));
            try
            {
                await next(context);
            }
            finally
            {
                Interlocked.Increment(ref _endedRequests);
            }
        });

        app.UseWebSockets();
        app.Map("/ws", Home.HandleAsync);

        // GET/HEAD /files/{size}: `size` deterministic bytes, Range-capable (206, Content-Range, Accept-Ranges).
        app.MapMethods("/files/{size:long}", ["GET", "HEAD"], (long size) =>
            Results.Stream(new PatternStream(size, Seed), "application/octet-stream", enableRangeProcessing: true));

        // GET /pattern/{size}/{seed}?id=N: `size` bytes of pattern `seed`, tagged with the caller's id so that load
        // tests can tell a mixed-up response from a right one.
        app.MapGet("/pattern/{size:long}/{seed:int}", (long size, int seed, HttpContext context) =>
        {
            context.Response.Headers["X-Pattern-Id"] = context.Request.Query["id"].ToString();
            return Results.Stream(new PatternStream(size, seed), "application/octet-stream");
        });

        // The media routes of MoosicBox, with a small body that names them.
        app.MapMethods("/files/track", ["GET", "HEAD"], (HttpRequest r) =>
            Results.Stream(new PatternStream(100_000, Seed), "audio/flac", enableRangeProcessing: true));

        // MoosicBox's album and artist covers: a small image whose bytes depend on the seed, size and id.
        foreach (var kind in new[] { "albums", "artists" })
        {
            app.MapMethods($"/files/{kind}/{{id}}/{{size}}", ["GET", "HEAD"], (string id, string size) =>
                Results.Bytes(System.Text.Encoding.UTF8.GetBytes($"{kind}/{id}/{size}/seed-{Seed}"), "image/jpeg"));
        }

        // MoosicBox's magic-token login: answers what it was asked and which origin (seed) answered.
        app.MapGet("/auth/magic-token", (HttpContext context) => Results.Json(new MagicTokenAnswer(
            context.Request.Query["magicToken"].ToString(),
            Seed,
            context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget,
            context.Request.Headers.Authorization.ToString())));

        // Echo: the body back, streamed, with the request's method, target and headers as response headers.
        app.Map("/echo/{**rest}", async (HttpContext context) =>
        {
            var request = context.Request;
            var response = context.Response;
            response.Headers["X-Echo-Method"] = request.Method;
            response.Headers["X-Echo-Target"] = Uri.EscapeDataString(context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget);
            foreach (var (name, values) in request.Headers)
            {
                response.Headers["X-Echo-Header-" + name] = values.ToString();
            }

            if (request.ContentType is { } type)
            {
                response.ContentType = type;
            }

            await request.Body.CopyToAsync(response.Body, context.RequestAborted);
        });

        // Upload sink: reads the body and answers its length and SHA-256, so uploads are checked byte for byte.
        app.MapPost("/upload", async (HttpContext context) =>
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[81920];
            long total = 0;
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                total += read;
                Interlocked.Add(ref _uploadedBytes, read);
            }

            Interlocked.Increment(ref _completedUploads);
            return Results.Json(new UploadResult(total, Convert.ToHexStringLower(sha.GetHashAndReset())));
        });

        // MoosicBox's local-only routes (/scan/*, POST /auth/magic-token, …): 401 to its own tunnel's marker,
        // `User-Agent: MOOSICBOX_TUNNEL` (NonTunnelRequestAuthorized), served to anyone else.
        app.MapMethods("/scan/scan-paths", ["GET", "POST", "DELETE"], (HttpContext context) =>
            context.Request.Headers.UserAgent.ToString() == "MOOSICBOX_TUNNEL"
                ? Results.Text("Unauthorized", statusCode: StatusCodes.Status401Unauthorized)
                : Results.Text("scan-paths"));

        app.Map("/status/{code:int}", (int code) => Results.StatusCode(code));

        app.MapGet("/json", () => Results.Json(new { hello = "world", items = new[] { 1, 2, 3 } }));

        app.MapGet("/cookies", (HttpContext context) =>
        {
            context.Response.Headers.Append("Set-Cookie", "a=1; Path=/");
            context.Response.Headers.Append("Set-Cookie", "b=2; Path=/");
            return Results.Text("cookies");
        });

        // Waits before answering: for the server's and agent's timeouts and for client-abort propagation.
        app.MapGet("/slow/{ms:int}", async (int ms, CancellationToken ct) =>
        {
            await Task.Delay(ms, ct);
            return Results.Text("slow");
        });

        // Sends `bytes` bytes then waits forever (or until cancelled): a body that never ends.
        app.MapGet("/stall/{bytes:int}", async (int bytes, HttpContext context) =>
        {
            context.Response.ContentType = "application/octet-stream";
            await context.Response.Body.WriteAsync(new byte[bytes], context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });

        // Announces `total` bytes, sends `sent`, then drops the connection: the origin breaks off mid-body.
        app.MapGet("/truncate/{total:int}/{sent:int}", async (int total, int sent, HttpContext context) =>
        {
            context.Response.ContentLength = total;
            await context.Response.Body.WriteAsync(new byte[sent], context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            context.Abort();
        });

        // Sends `sent` bytes chunked (no Content-Length), then drops the connection: only the missing terminating
        // chunk tells the truncation apart from a clean end.
        app.MapGet("/break/{sent:int}", async (int sent, HttpContext context) =>
        {
            context.Response.ContentType = "application/octet-stream";
            await context.Response.Body.WriteAsync(new byte[sent], context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(100, context.RequestAborted);
            context.Abort();
        });

        // Answers with hop-by-hop fields (RFC 9110 §7.6.1) beside ordinary ones, including one the Connection field
        // names; a proxy must drop all of those and keep the rest.
        app.MapGet("/hop-headers", (HttpContext context) =>
        {
            var headers = context.Response.Headers;
            headers.Connection = "X-Connection-Listed";
            headers["X-Connection-Listed"] = "hop";
            headers.KeepAlive = "timeout=5";
            headers.ProxyAuthenticate = "Basic realm=\"origin\"";
            headers["Proxy-Custom"] = "hop";
            headers.Upgrade = "websocket";
            headers["X-End-To-End"] = "kept";
            headers.CacheControl = "max-age=60";
            return Results.Text("hop");
        });

        // Streams `count` chunks of 64 KiB with no Content-Length (chunked), pausing `delayMs` between them.
        app.MapGet("/drip/{count:int}/{delayMs:int}", async (int count, int delayMs, HttpContext context) =>
        {
            var chunk = new byte[64 * 1024];
            for (var i = 0; i < count; i++)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(delayMs, context.RequestAborted);
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record UploadResult(long Length, string Sha256);
