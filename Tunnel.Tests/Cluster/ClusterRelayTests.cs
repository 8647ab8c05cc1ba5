using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tunnel.Server.Agents;
using Tunnel.Tests.Auth;
using Tunnel.Tests.Fixtures;
using Tunnel.Tests.Relay;

namespace Tunnel.Tests.Cluster;

/// <summary>A remote app's live-updates WebSocket that lands on a node without the agent crosses to the one holding it.</summary>
public sealed class ClusterRelayTests
{
    [Fact]
    public async Task RemoteWebSocket_OnNodeWithoutAgent_RelayedThroughTheNodeHoldingIt()
    {
        await using var cluster = await TunnelCluster.StartAsync(2);
        await using var origin = await OriginApp.StartAsync();
        var token = await cluster.Nodes[0].RegisterClientAsync("home-relay");
        await using var agent = await AgentHost.StartAsync(cluster.Nodes[0].BaseAddress, "home-relay", token, origin.BaseAddress);
        var agents = cluster.Nodes[0].Services.GetRequiredService<ConnectedAgents>();
        (await Eventually.HoldsAsync(async () => agents.TryGet("home-relay", out _) && (await cluster.Nodes[0].ConnectionRowsAsync()).Count == 1, TimeSpan.FromSeconds(10)))
            .Should().BeTrue();
        var signature = await AuthApi.CreateSignatureAsync(cluster.Nodes[1], "home-relay", token);

        using var remote = await TestWebSocketClient.ConnectAsync(RelayApi.Url(cluster.Nodes[1], RelayApi.Query("home-relay", signature)));
        var home = await RelayApi.PairAsync(remote, origin.Home);
        await home.SendTextAsync("{\"type\":\"FROM_HOME\"}");
        (await remote.ReceiveTextAsync()).Should().Be("{\"type\":\"FROM_HOME\"}");

        await remote.CloseAsync();
        await home.Ended.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task RemoteWebSocket_ImitatingAHopWithoutTheSecret_Refused403()
    {
        await using var cluster = await TunnelCluster.StartAsync(2);
        await using var origin = await OriginApp.StartAsync();
        var token = await cluster.Nodes[0].RegisterClientAsync("home-relay-fake");
        await using var agent = await AgentHost.StartAsync(cluster.Nodes[0].BaseAddress, "home-relay-fake", token, origin.BaseAddress);
        var signature = await AuthApi.CreateSignatureAsync(cluster.Nodes[0], "home-relay-fake", token);

        var (client, status) = await TestWebSocketClient.TryConnectAsync(
            RelayApi.Url(cluster.Nodes[0], RelayApi.Query("home-relay-fake", signature)),
            new Dictionary<string, string> { ["X-Tunnel-Hop"] = "1", ["X-Tunnel-Cluster-Secret"] = "not-the-secret-not-the-secret-not-the-secret" });
        client?.Dispose();
        status.Should().Be(HttpStatusCode.Forbidden);
    }
}
