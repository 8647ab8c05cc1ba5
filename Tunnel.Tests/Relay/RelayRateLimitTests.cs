using System.Net;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Relay;

/// <summary>Wrong signatures on <c>/ws</c> are charged to the caller's address like any other failed attempt.</summary>
public sealed class RelayRateLimitTests
{
    private const int Limit = 2;

    [Fact]
    public async Task WrongSignatures_OverLimit_Then429EvenForTheRightOne()
    {
        await using var stack = await TunnelStack.StartAsync(new ServerSettings
        {
            Extra = { ["Tunnel:Auth:FailedAttemptsPerMinute"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        });
        var signature = await RelayApi.SignatureAsync(stack);

        // A missing credential is refused but not charged: a guess is what costs.
        var (none, noneStatus) = await TestWebSocketClient.TryConnectAsync(RelayApi.Url(stack.Server, $"moosicboxProfile=master&clientId={stack.ClientId}"));
        none.Should().BeNull();
        noneStatus.Should().Be(HttpStatusCode.Unauthorized);

        for (var i = 0; i < Limit; i++)
        {
            var (client, status) = await TestWebSocketClient.TryConnectAsync(
                RelayApi.Url(stack.Server, RelayApi.Query(stack.ClientId, "wrong-signature-" + Guid.NewGuid())));
            client.Should().BeNull();
            status.Should().Be(HttpStatusCode.Unauthorized);
        }

        var (limited, limitedStatus) = await TestWebSocketClient.TryConnectAsync(RelayApi.Url(stack.Server, RelayApi.Query(stack.ClientId, signature)));
        limited.Should().BeNull();
        limitedStatus.Should().Be(HttpStatusCode.TooManyRequests);
        stack.Origin.Home.Upgrades.Count.Should().Be(0);
    }
}
