using FluentAssertions;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Agent;

/// <summary>An agent whose token the server refuses says so and what to do, instead of a bare connect failure.</summary>
public sealed class TokenRefusedTests
{
    [Fact]
    public async Task WrongToken_AgentLogsTokenRefused_NamingTheFix()
    {
        await using var origin = await OriginApp.StartAsync();
        await using var server = await TunnelServer.StartAsync();
        await server.RegisterClientAsync("home-wrong-token");
        await using var agent = await AgentHost.StartAsync(server.BaseAddress, "home-wrong-token", "not-the-token-of-this-client-0123456789", origin.BaseAddress);

        (await Eventually.HoldsAsync(() => agent.Logs.GetSnapshot().Any(r => r.Id.Name == "TokenRefused"), TimeSpan.FromSeconds(15)))
            .Should().BeTrue("a 401 on the hub's upgrade is a refused token");
        var refused = agent.Logs.GetSnapshot().First(r => r.Id.Name == "TokenRefused");
        refused.Message.Should().Contain("home-wrong-token").And.Contain("register-client").And.Contain("Agent:AccessToken");
        refused.Message.Should().NotContain("not-the-token-of-this-client", "tokens are never logged");
        agent.Logs.GetSnapshot().Should().NotContain(r => r.Id.Name == "ConnectFailed", "a refused token is not a network failure");
    }
}
