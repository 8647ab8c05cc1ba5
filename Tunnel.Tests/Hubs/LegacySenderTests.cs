using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Tunnel.Server.Hubs;
using Tunnel.Tests.Auth;
using Tunnel.Server.Hosting;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Hubs;

/// <summary>
/// A home server still running MoosicBox's own tunnel sender (<c>WS_HOST</c> set) connects with
/// <c>/ws?clientId=X&amp;sender=true&amp;signature=S</c> and no access token, every 5 s forever (issue 9). It is refused
/// with 401, never charged to its address (which the agent and the household's apps share), and its operator is
/// told once an hour per client what to do.
/// </summary>
public sealed class LegacySenderTests
{
    [Fact]
    public async Task LegacySender_Retrying_RefusedUnchargedAndLoggedOncePerClientPerHour()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await TunnelServer.StartAsync(new ServerSettings
        {
            Extra = { ["Tunnel:Auth:FailedAttemptsPerMinute"] = "2" },
            ConfigureServices = services => services.Replace(ServiceDescriptor.Singleton(new LegacySenderNotices(clock))),
        });
        var token = await server.RegisterClientAsync("legacy-1");
        var signature = await AuthApi.CreateSignatureAsync(server, "legacy-1", token);

        for (var i = 0; i < 5; i++)
        {
            (await ConnectAsSenderAsync(server, "legacy-1", signature)).Should().Be(HttpStatusCode.Unauthorized);
        }

        Notices(server).Should().ContainSingle().Which.Should().Match<(LogLevel Level, string Message)>(n =>
            n.Level == LogLevel.Warning && n.Message.Contains("legacy-1") && n.Message.Contains("unset WS_HOST")
            && n.Message.Contains("Tunnel.Agent") && !n.Message.Contains(signature)
            && n.Message.Contains("no access token") && !n.Message.Contains(LogRedactor.Mask, StringComparison.Ordinal));

        // Nothing was charged: past the limit of 2, a valid token from the same address is still served.
        using (var served = await AuthApi.SendAsync(server, HttpMethod.Post, "/auth/signature-token?clientId=legacy-1", token))
        {
            served.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        // Another client is told on its own; the first again only after an hour.
        (await ConnectAsSenderAsync(server, "legacy-2", signature)).Should().Be(HttpStatusCode.Unauthorized);
        Notices(server).Should().HaveCount(2);
        clock.Advance(LegacySenderNotices.Interval - TimeSpan.FromSeconds(1));
        (await ConnectAsSenderAsync(server, "legacy-1", signature)).Should().Be(HttpStatusCode.Unauthorized);
        Notices(server).Should().HaveCount(2);
        clock.Advance(TimeSpan.FromSeconds(1));
        (await ConnectAsSenderAsync(server, "legacy-1", signature)).Should().Be(HttpStatusCode.Unauthorized);
        Notices(server).Should().HaveCount(3);
    }

    [Fact]
    public async Task AgentWithoutSignatureOrToken_IsNotTakenForALegacySender()
    {
        await using var server = await TunnelServer.StartAsync();
        (await ConnectAsSenderAsync(server, "no-credential", signature: null)).Should().Be(HttpStatusCode.Unauthorized);
        Notices(server).Should().BeEmpty();
    }

    private static List<(LogLevel Level, string Message)> Notices(TunnelServer server) =>
        [.. server.Logs.GetSnapshot().Where(r => r.Id.Name == "LegacySenderRefused").Select(r => (r.Level, r.Message))];

    /// <summary>The upgrade exactly as MoosicBox's sender sends it; returns the status it was refused with.</summary>
    private static async Task<HttpStatusCode> ConnectAsSenderAsync(TunnelServer server, string clientId, string? signature)
    {
        var query = $"clientId={clientId}&sender=true" + (signature is null ? string.Empty : "&signature=" + Uri.EscapeDataString(signature));
        var url = new UriBuilder(server.BaseAddress) { Scheme = "ws", Path = "/ws", Query = query }.Uri;
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var connect = () => socket.ConnectAsync(url, timeout.Token);
        await connect.Should().ThrowAsync<WebSocketException>();
        return socket.HttpStatusCode;
    }
}
