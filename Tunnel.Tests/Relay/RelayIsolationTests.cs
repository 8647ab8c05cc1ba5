using Tunnel.Tests.Auth;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Relay;

/// <summary>Two clients on one server: each app's frames reach only its own home server, and back.</summary>
public sealed class RelayIsolationTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task TwoClients_BroadcastsAndMessages_NeverCross()
    {
        await using var stack = await TwoClientStack.StartAsync();
        var signatureA = await AuthApi.CreateSignatureAsync(stack.Server, TwoClientStack.ClientA, stack.TokenA);
        var signatureB = await AuthApi.CreateSignatureAsync(stack.Server, TwoClientStack.ClientB, stack.TokenB);
        using var a = await TestWebSocketClient.ConnectAsync(RelayApi.Url(stack.Server, RelayApi.Query(TwoClientStack.ClientA, signatureA)));
        using var b = await TestWebSocketClient.ConnectAsync(RelayApi.Url(stack.Server, RelayApi.Query(TwoClientStack.ClientB, signatureB)));
        var homeA = await RelayApi.PairAsync(a, stack.OriginA.Home);
        var homeB = await RelayApi.PairAsync(b, stack.OriginB.Home);

        stack.OriginA.Home.Open.Should().ContainSingle().Which.Id.Should().Be(homeA.Id);
        stack.OriginB.Home.Open.Should().ContainSingle().Which.Id.Should().Be(homeB.Id);

        // Each home broadcasts to "all" of its sockets; each app gets only its own home's.
        await stack.OriginA.Home.BroadcastTextAsync("{\"type\":\"SCAN_EVENT\",\"home\":\"a\"}");
        await stack.OriginB.Home.BroadcastTextAsync("{\"type\":\"SCAN_EVENT\",\"home\":\"b\"}");
        (await a.ReceiveTextAsync()).Should().Contain("\"home\":\"a\"");
        (await b.ReceiveTextAsync()).Should().Contain("\"home\":\"b\"");

        // And the apps' messages reach only their own home.
        await a.SendTextAsync("{\"type\":\"PING\",\"from\":\"a\"}");
        await b.SendTextAsync("{\"type\":\"PING\",\"from\":\"b\"}");
        (await homeA.Received.WaitForCountAsync(2, Within))[1].Text.Should().Contain("\"from\":\"a\"");
        (await homeB.Received.WaitForCountAsync(2, Within))[1].Text.Should().Contain("\"from\":\"b\"");

        // Nothing else arrived on either side.
        await a.SendTextAsync("{\"type\":\"ECHO\",\"last\":\"a\"}");
        (await a.ReceiveTextAsync()).Should().Be("{\"type\":\"ECHO\",\"last\":\"a\"}");
        await b.SendTextAsync("{\"type\":\"ECHO\",\"last\":\"b\"}");
        (await b.ReceiveTextAsync()).Should().Be("{\"type\":\"ECHO\",\"last\":\"b\"}");
        homeA.Received.Snapshot().Should().NotContain(m => m.Text.Contains("\"b\"", StringComparison.Ordinal));
        homeB.Received.Snapshot().Should().NotContain(m => m.Text.Contains("\"a\"", StringComparison.Ordinal));

        await a.CloseAsync();
        await b.CloseAsync();
    }

    [Fact]
    public async Task SignatureOfOneClient_NeverOpensTheOthersHome()
    {
        await using var stack = await TwoClientStack.StartAsync();
        var signatureA = await AuthApi.CreateSignatureAsync(stack.Server, TwoClientStack.ClientA, stack.TokenA);
        var (client, status) = await TestWebSocketClient.TryConnectAsync(RelayApi.Url(stack.Server, RelayApi.Query(TwoClientStack.ClientB, signatureA)));
        client.Should().BeNull();
        status.Should().Be(System.Net.HttpStatusCode.Unauthorized);
        stack.OriginB.Home.Upgrades.Count.Should().Be(0);
    }
}
