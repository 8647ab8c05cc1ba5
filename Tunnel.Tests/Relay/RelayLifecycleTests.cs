using System.Diagnostics;
using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Tunnel.Server.Relay;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Relay;

/// <summary>Either side ending ends the other: remote, home, agent (stopped, displaced, revoked), server.</summary>
public sealed class RelayLifecycleTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RemoteCloses_HomeSocketClosedWithin1s()
    {
        await using var stack = await TunnelStack.StartAsync();
        var (remote, home) = await RelayApi.OpenAsync(stack, await RelayApi.SignatureAsync(stack));
        using (remote)
        {
            var clock = Stopwatch.StartNew();
            await remote.CloseAsync();
            var ended = await home.Ended.WaitAsync(Within);
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1));
            ended.Reason.Should().Be(HomeDisconnectReason.ClientClosed);
        }

        await AssertRelayLoggedAsync(stack, RelayEnd.RemoteClosed);
    }

    [Fact]
    public async Task RemoteDropsWithoutClose_HomeSocketClosedWithin1s()
    {
        await using var stack = await TunnelStack.StartAsync();
        var (remote, home) = await RelayApi.OpenAsync(stack, await RelayApi.SignatureAsync(stack));
        var clock = Stopwatch.StartNew();
        remote.Socket.Abort();
        remote.Dispose();
        await home.Ended.WaitAsync(Within);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1));
    }

    [Theory]
    [InlineData(WebSocketCloseStatus.NormalClosure, WebSocketCloseStatus.InternalServerError)]
    [InlineData(WebSocketCloseStatus.EndpointUnavailable, WebSocketCloseStatus.EndpointUnavailable)]
    public async Task HomeCloses_RemoteClosedWith1011Or1001(WebSocketCloseStatus home, WebSocketCloseStatus remoteGets)
    {
        await using var stack = await TunnelStack.StartAsync();
        var (remote, connection) = await RelayApi.OpenAsync(stack, await RelayApi.SignatureAsync(stack));
        using (remote)
        {
            // What the home sent before closing still arrives, then the close.
            await connection.SendTextAsync("{\"type\":\"LAST\"}");
            await connection.CloseAsync(home);
            (await remote.ReceiveTextAsync()).Should().Be("{\"type\":\"LAST\"}");
            (await remote.ReceiveCloseAsync()).Should().Be(remoteGets);
        }
    }

    [Fact]
    public async Task HomeDropsTheConnection_RemoteClosed1011()
    {
        await using var stack = await TunnelStack.StartAsync();
        var (remote, connection) = await RelayApi.OpenAsync(stack, await RelayApi.SignatureAsync(stack));
        using (remote)
        {
            connection.Abort();
            (await remote.ReceiveCloseAsync()).Should().Be(WebSocketCloseStatus.InternalServerError);
        }
    }

    [Fact]
    public async Task AgentStops_RelaysClosed1012_HomeSocketsClosed()
    {
        await using var stack = await TunnelStack.StartAsync();
        var signature = await RelayApi.SignatureAsync(stack);
        var (a, homeA) = await RelayApi.OpenAsync(stack, signature);
        var (b, homeB) = await RelayApi.OpenAsync(stack, signature);
        using (a)
        using (b)
        {
            await stack.Agent.StopAsync();
            (await a.ReceiveCloseAsync()).Should().Be((WebSocketCloseStatus)1012);
            (await b.ReceiveCloseAsync()).Should().Be((WebSocketCloseStatus)1012);
            foreach (var app in new[] { a, b })
            {
                app.Socket.CloseStatusDescription.Should().Contain("agent").And.Contain("reconnect").And.NotContain("closed the socket");
            }

            await homeA.Ended.WaitAsync(Within);
            await homeB.Ended.WaitAsync(Within);
        }
    }

    [Fact]
    public async Task AgentDisplaced_RelaysOfTheOldConnectionClosed1012()
    {
        await using var stack = await TunnelStack.StartAsync();
        var (remote, home) = await RelayApi.OpenAsync(stack, await RelayApi.SignatureAsync(stack));
        using (remote)
        {
            await using var newer = await AgentHost.StartAsync(stack.Server.BaseAddress, stack.ClientId, stack.Token, stack.Origin.BaseAddress);
            (await remote.ReceiveCloseAsync()).Should().Be((WebSocketCloseStatus)1012);
            await home.Ended.WaitAsync(Within);

            // The app reconnects through the newer agent.
            (await Eventually.HoldsAsync(async () =>
            {
                var (client, _) = await TestWebSocketClient.TryConnectAsync(RelayApi.Url(stack.Server, RelayApi.Query(stack.ClientId, await RelayApi.SignatureAsync(stack))));
                client?.Dispose();
                return client is not null;
            }, Within)).Should().BeTrue();
        }
    }

    [Fact]
    public async Task TokensRevoked_RelaysClosed()
    {
        await using var stack = await TunnelStack.StartAsync();
        var (remote, home) = await RelayApi.OpenAsync(stack, await RelayApi.SignatureAsync(stack));
        using (remote)
        {
            using var response = await Tunnel.Tests.Auth.AuthApi.SendAsBearerAsync(stack.Server, HttpMethod.Delete, $"/auth/clients/{stack.ClientId}/tokens", TunnelServer.AdminToken);
            response.StatusCode.Should().Be(System.Net.HttpStatusCode.NoContent);
            (await remote.ReceiveCloseAsync()).Should().Be((WebSocketCloseStatus)1012);
            await home.Ended.WaitAsync(Within);
        }
    }

    [Fact]
    public async Task ServerStops_RelaysClosed1001()
    {
        var stack = await TunnelStack.StartAsync();
        try
        {
            var (remote, _) = await RelayApi.OpenAsync(stack, await RelayApi.SignatureAsync(stack));
            using (remote)
            {
                var stopping = stack.Server.DisposeAsync().AsTask();
                (await remote.ReceiveCloseAsync()).Should().Be(WebSocketCloseStatus.EndpointUnavailable);
                await stopping.WaitAsync(Within);
            }
        }
        finally
        {
            await stack.Agent.DisposeAsync();
            await stack.Origin.DisposeAsync();
        }
    }

    internal static async Task AssertRelayLoggedAsync(TunnelStack stack, RelayEnd end)
    {
        var logged = await Eventually.HoldsAsync(
            () => stack.Server.Logs.GetSnapshot().Any(r => r.Id.Name == "RelayClosed" && r.Message.Contains(end.ToString(), StringComparison.Ordinal)),
            Within);
        logged.Should().BeTrue($"a RelayClosed line with {end} is logged");
        stack.Server.Services.GetRequiredService<RemoteRelays>().Count.Should().Be(0);
    }
}
