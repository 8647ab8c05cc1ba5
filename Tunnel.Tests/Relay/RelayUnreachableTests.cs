using System.Net;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Relay;

/// <summary>The agent cannot reach the home server at all: the remote app gets 502, not 401 and not a hang.</summary>
public sealed class RelayUnreachableTests
{
    [Fact]
    public async Task Upgrade_HomeUnreachable_Is502()
    {
        await using var server = await TunnelServer.StartAsync();
        var token = await server.RegisterClientAsync("relay-down");
        var closedPort = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}");
        await using var agent = await AgentHost.StartAsync(server.BaseAddress, "relay-down", token, closedPort);
        var agents = server.Services.GetService(typeof(Tunnel.Server.Agents.ConnectedAgents)) as Tunnel.Server.Agents.ConnectedAgents;
        (await Eventually.HoldsAsync(() => agents!.TryGet("relay-down", out _), TimeSpan.FromSeconds(10))).Should().BeTrue();
        var signature = await Tunnel.Tests.Auth.AuthApi.CreateSignatureAsync(server, "relay-down", token);

        var (client, status) = await TestWebSocketClient.TryConnectAsync(RelayApi.Url(server, RelayApi.Query("relay-down", signature)));
        client.Should().BeNull();
        status.Should().Be(HttpStatusCode.BadGateway);
    }
}
