using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Relay;

/// <summary>
/// A home server that stops reading its socket slows only the app that writes to it: the relay's credit stops the
/// server reading that app, TCP pushes back on the app, and nothing queues without bound or closes; other traffic of
/// the same agent goes on.
/// </summary>
[Collection(MeasuredCollection.Name)]
public sealed class RelayHomeBackpressureTests
{
    [Fact]
    public async Task HomeNotReading_AppsSendsBlock_RelayStaysOpen_HttpUnaffected()
    {
        await using var home = await NonReadingHome.StartAsync();
        await using var server = await TunnelServer.StartAsync();
        var token = await server.RegisterClientAsync("relay-slow-home");
        await using var agent = await AgentHost.StartAsync(server.BaseAddress, "relay-slow-home", token, home.BaseAddress);
        var agents = server.Services.GetRequiredService<Tunnel.Server.Agents.ConnectedAgents>();
        (await Eventually.HoldsAsync(() => agents.TryGet("relay-slow-home", out _), TimeSpan.FromSeconds(10))).Should().BeTrue();
        var signature = await Tunnel.Tests.Auth.AuthApi.CreateSignatureAsync(server, "relay-slow-home", token);
        using var remote = await TestWebSocketClient.ConnectAsync(RelayApi.Url(server, RelayApi.Query("relay-slow-home", signature)));

        // The app writes 60 KiB messages as fast as its socket takes them, for up to 256 MiB.
        var message = new byte[60 * 1024];
        long sent = 0;
        using var stop = new CancellationTokenSource();
        var writing = Task.Run(async () =>
        {
            while (sent < 256L * 1024 * 1024 && !stop.IsCancellationRequested)
            {
                await remote.Socket.SendAsync(message, WebSocketMessageType.Binary, true, stop.Token);
                Interlocked.Add(ref sent, message.Length);
            }
        });

        // The app's writes come to a halt: every buffer on the way is bounded and full.
        long last;
        do
        {
            last = Interlocked.Read(ref sent);
            await Task.WhenAny(writing, Task.Delay(TimeSpan.FromSeconds(2)));
        }
        while (Interlocked.Read(ref sent) != last && !writing.IsCompleted);
        writing.IsCompleted.Should().BeFalse("the app's sends must be held back, not accepted and queued or dropped");
        last.Should().BeLessThan(64L * 1024 * 1024, "only socket buffers and the 16-message credit lie between app and home");

        // The relay is still open, and an HTTP call through the same agent answers at once.
        remote.Socket.State.Should().Be(WebSocketState.Open);
        using var http = server.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using (var response = await http.GetAsync("/hello?clientId=relay-slow-home"))
        {
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            (await response.Content.ReadAsStringAsync()).Should().Be("hello");
        }

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
        server.Logs.GetSnapshot().Should().NotContain(r => r.Id.Name == "RelayClosed");
        stop.Cancel();
        remote.Socket.Abort();
        await writing.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>An origin whose <c>/ws</c> accepts and then never reads, and which answers <c>GET /hello</c>.</summary>
    private sealed class NonReadingHome : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private NonReadingHome(WebApplication app, Uri baseAddress)
        {
            _app = app;
            BaseAddress = baseAddress;
        }

        public Uri BaseAddress { get; }

        public static async Task<NonReadingHome> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            app.UseWebSockets();
            app.Map("/ws", async (HttpContext context) =>
            {
                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            });
            app.MapGet("/hello", () => "hello");
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            return new NonReadingHome(app, new Uri(address));
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
