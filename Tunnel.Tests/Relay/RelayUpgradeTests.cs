using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tunnel.Server.Relay;
using Tunnel.Tests.Auth;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Relay;

/// <summary>
/// The remote app's <c>GET /ws</c>, in the order: clientId (400) → limiter (429) → signature or access token
/// (401) → agent connected (424) → cap (503) → the home's own answer (its refusal, 502, 504) → 101.
/// </summary>
public sealed class RelayUpgradeTests(RelayStackFixture fixture) : IClassFixture<RelayStackFixture>
{
    private TunnelStack Stack => fixture.Stack;

    [Fact]
    public async Task Upgrade_WithoutClientId_Is400()
    {
        var signature = await RelayApi.SignatureAsync(Stack);
        var (client, status) = await TestWebSocketClient.TryConnectAsync(RelayApi.Url(Stack.Server, $"moosicboxProfile=master&signature={signature}"));
        client.Should().BeNull();
        status.Should().Be(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("")]
    [InlineData("&signature=not-a-signature-but-long-enough")]
    public async Task Upgrade_WithoutValidCredential_Is401(string credential)
    {
        var (client, status) = await TestWebSocketClient.TryConnectAsync(RelayApi.Url(Stack.Server, $"moosicboxProfile=master&clientId={Stack.ClientId}{credential}"));
        client.Should().BeNull();
        status.Should().Be(HttpStatusCode.Unauthorized);
        Stack.Origin.Home.Upgrades.Snapshot().Should().NotContain(u => u.QueryString.Contains("not-a-signature"), "nothing reaches the home");
    }

    [Fact]
    public async Task Upgrade_WithAccessTokenInAuthorization_Opens()
    {
        var headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + Stack.Token };
        using var remote = await TestWebSocketClient.ConnectAsync(RelayApi.Url(Stack.Server, $"moosicboxProfile=master&clientId={Stack.ClientId}"), headers);
        var home = await RelayApi.PairAsync(remote, Stack.Origin.Home);
        home.Upgrade.Authorization.Should().BeNull("the tunnel's credential is not the home's");
        await remote.CloseAsync();
    }

    [Fact]
    public async Task Upgrade_ParameterNamesInAnyCase_OpenAndStayOffTheHomeQuery()
    {
        var signature = await RelayApi.SignatureAsync(Stack);
        var query = $"moosicboxProfile=master&CLIENTID={Stack.ClientId}&Signature={signature}&authorization=home-static&extra=a%20b";
        using var remote = await TestWebSocketClient.ConnectAsync(RelayApi.Url(Stack.Server, query), new Dictionary<string, string> { ["moosicbox-profile"] = "master" });
        var home = await RelayApi.PairAsync(remote, Stack.Origin.Home);

        home.Upgrade.QueryString.Should().Be("?moosicboxProfile=master&authorization=home-static&extra=a%20b",
            "clientId and signature stay with the tunnel; the rest reaches the home verbatim and in order");
        home.Upgrade.UserAgent.Should().Be("MOOSICBOX_TUNNEL");
        home.Upgrade.ProfileHeader.Should().Be("master");
        await remote.CloseAsync();
    }

    [Fact]
    public async Task Upgrade_SignatureOfAnotherClient_Is401()
    {
        var other = await Stack.Server.RegisterClientAsync("relay-other");
        var foreign = await AuthApi.CreateSignatureAsync(Stack.Server, "relay-other", other);
        var (client, status) = await TestWebSocketClient.TryConnectAsync(RelayApi.Url(Stack.Server, RelayApi.Query(Stack.ClientId, foreign)));
        client.Should().BeNull();
        status.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Upgrade_AgentNotConnected_Is424AtOnce()
    {
        var token = await Stack.Server.RegisterClientAsync("relay-offline");
        var signature = await AuthApi.CreateSignatureAsync(Stack.Server, "relay-offline", token);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (client, status) = await TestWebSocketClient.TryConnectAsync(RelayApi.Url(Stack.Server, RelayApi.Query("relay-offline", signature)));
        client.Should().BeNull();
        status.Should().Be(HttpStatusCode.FailedDependency);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Upgrade_UnknownProfile_GetsTheHomesRefusal()
    {
        var signature = await RelayApi.SignatureAsync(Stack);
        var (client, status) = await TestWebSocketClient.TryConnectAsync(RelayApi.Url(Stack.Server, RelayApi.Query(Stack.ClientId, signature, "nobody")));
        client.Should().BeNull();
        status.Should().Be(HttpStatusCode.BadRequest, "the home answers 400 for an unknown profile and the remote app gets it");
        (await Stack.Origin.Home.Upgrades.WaitForAsync(u => u.Profile == "nobody", TimeSpan.FromSeconds(5))).Status.Should().Be(400);
    }

    [Fact]
    public async Task Upgrade_HomeNeverAnswers_Is504WithinTheBound()
    {
        var signature = await RelayApi.SignatureAsync(Stack);
        Stack.Origin.Home.HoldUpgrades = true;
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var (client, status) = await TestWebSocketClient.TryConnectAsync(
                RelayApi.Url(Stack.Server, RelayApi.Query(Stack.ClientId, signature)), within: TimeSpan.FromSeconds(20));
            client.Should().BeNull();
            status.Should().Be(HttpStatusCode.GatewayTimeout);
            clock.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(2.5)).And.BeLessThan(TimeSpan.FromSeconds(10));
        }
        finally
        {
            Stack.Origin.Home.HoldUpgrades = false;
        }
    }

    [Fact]
    public async Task Upgrade_OverTheCapPerClient_Is503()
    {
        var relays = Stack.Server.Services.GetRequiredService<RemoteRelays>();
        (await Eventually.HoldsAsync(() => relays.CountOf(Stack.ClientId) == 0, TimeSpan.FromSeconds(5))).Should().BeTrue();
        var signature = await RelayApi.SignatureAsync(Stack);
        var open = new List<TestWebSocketClient>();
        try
        {
            for (var i = 0; i < RelayStackFixture.MaxRelaysPerClient; i++)
            {
                open.Add(await RelayApi.ConnectAsync(Stack, signature));
            }

            var (client, status) = await TestWebSocketClient.TryConnectAsync(RelayApi.Url(Stack.Server, RelayApi.Query(Stack.ClientId, signature)));
            client.Should().BeNull();
            status.Should().Be(HttpStatusCode.ServiceUnavailable);
            (await Eventually.HoldsAsync(
                    () => Stack.Server.Logs.GetSnapshot().Any(r => r.Id.Name == "RelayRefused" && r.Message.Contains("503", StringComparison.Ordinal) && r.Message.Contains(Stack.ClientId, StringComparison.Ordinal)),
                    TimeSpan.FromSeconds(5)))
                .Should().BeTrue("every refusal is logged as RelayRefused with the status the app got");

            // Closing one frees its place.
            await open[0].CloseAsync();
            (await Eventually.HoldsAsync(() => relays.CountOf(Stack.ClientId) < RelayStackFixture.MaxRelaysPerClient, TimeSpan.FromSeconds(5))).Should().BeTrue();
            open.Add(await RelayApi.ConnectAsync(Stack, signature));
        }
        finally
        {
            foreach (var socket in open)
            {
                socket.Dispose();
            }
        }
    }
}
