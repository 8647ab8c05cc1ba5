using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Tunnel.Server.Agents;
using Tunnel.Server.Relay;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Relay;

/// <summary>The agent process is killed (SIGKILL): every relay it carried ends on both sides, nothing lingers.</summary>
[Collection(Tunnel.Tests.Load.LoadCollection.Name)]
public sealed class RelayAgentKillTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task AgentKilled_RemotesClosed1012_HomeSocketsGone_NothingLeft()
    {
        await using var origin = await OriginApp.StartAsync();
        await using var server = await TunnelServer.StartAsync();
        var token = await server.RegisterClientAsync("relay-kill");
        await using var agent = ProjectProcess.Start("Tunnel.Agent", Path.GetTempPath(), [], new Dictionary<string, string>
        {
            ["Agent__ServerUrl"] = server.BaseAddress.ToString(),
            ["Agent__ClientId"] = "relay-kill",
            ["Agent__AccessToken"] = token,
            ["Agent__OriginUrl"] = origin.BaseAddress.ToString(),
        });
        var agents = server.Services.GetRequiredService<ConnectedAgents>();
        (await Eventually.HoldsAsync(() => agents.TryGet("relay-kill", out _), TimeSpan.FromSeconds(30))).Should().BeTrue(agent.Output);
        var signature = await Tunnel.Tests.Auth.AuthApi.CreateSignatureAsync(server, "relay-kill", token);
        var url = RelayApi.Url(server, RelayApi.Query("relay-kill", signature));
        using var a = await TestWebSocketClient.ConnectAsync(url);
        using var b = await TestWebSocketClient.ConnectAsync(url);
        var homeA = await RelayApi.PairAsync(a, origin.Home);
        var homeB = await RelayApi.PairAsync(b, origin.Home);

        agent.Kill();

        (await a.ReceiveCloseAsync(Within)).Should().Be((WebSocketCloseStatus)1012);
        (await b.ReceiveCloseAsync(Within)).Should().Be((WebSocketCloseStatus)1012);
        await homeA.Ended.WaitAsync(Within);
        await homeB.Ended.WaitAsync(Within);
        origin.Home.Open.Should().BeEmpty();
        (await Eventually.HoldsAsync(() => server.Services.GetRequiredService<RemoteRelays>().Count == 0, Within)).Should().BeTrue();
    }
}
