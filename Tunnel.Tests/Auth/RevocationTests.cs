using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tunnel.Server.Agents;
using Tunnel.Server.Registry;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Auth;

/// <summary><c>DELETE /auth/clients/{clientId}/tokens</c>: the admin takes everything from a client, agent included.</summary>
public sealed class RevocationTests
{
    [Fact]
    public async Task AdminRevoke_DeletesAllTokensAndDisconnectsAgentForGood()
    {
        await using var stack = await TunnelStack.StartAsync();
        var signature = await AuthApi.CreateSignatureAsync(stack.Server, stack.ClientId, stack.Token);
        await AuthApi.RegisterMagicAsync(stack.Server, stack.ClientId, stack.Token, Guid.NewGuid().ToString());
        await stack.Server.RegisterClientAsync("bystander");

        await AuthApi.RevokeClientAsync(stack.Server, stack.ClientId);

        (await Eventually.HoldsAsync(() => !stack.IsAgentConnected, TimeSpan.FromSeconds(10))).Should().BeTrue("revoking disconnects the agent");
        var factory = stack.Server.Services.GetRequiredService<IDbContextFactory<TunnelDbContext>>();
        await using (var db = factory.CreateDbContext())
        {
            (await db.ClientAccessTokens.CountAsync(t => t.ClientId == stack.ClientId)).Should().Be(0);
            (await db.SignatureTokens.CountAsync(t => t.ClientId == stack.ClientId)).Should().Be(0);
            (await db.MagicTokens.CountAsync(t => t.ClientId == stack.ClientId)).Should().Be(0);
            (await db.ClientAccessTokens.CountAsync(t => t.ClientId == "bystander")).Should().Be(1);
        }

        using var http = stack.CreateClient();
        using (var bearer = await http.GetAsync(stack.Url("/json")))
        {
            await bearer.ShouldBeAuthProblemAsync(HttpStatusCode.Unauthorized);
        }

        using (var signed = await stack.Server.CreateClient().GetAsync(BadCredentials.WithSignature(stack.Url("/files/track"), signature)))
        {
            await signed.ShouldBeAuthProblemAsync(HttpStatusCode.Unauthorized);
        }

        // The agent keeps retrying with its revoked token and is refused every time (its reconnect delay is 1 s here):
        // wait for two refused attempts, each seen by both sides.
        int Refused() => stack.Server.Logs.GetSnapshot().Count(r => r.Id.Name == "AgentRefused");
        int Failed() => stack.Agent.Logs.GetSnapshot().Count(r => r.Id.Name == "TokenRefused");
        var (refusedBefore, failedBefore) = (Refused(), Failed());
        (await Eventually.HoldsAsync(() => Refused() >= refusedBefore + 2 && Failed() >= failedBefore + 2, TimeSpan.FromSeconds(15)))
            .Should().BeTrue("the agent retried twice more and was refused each time");
        stack.IsAgentConnected.Should().BeFalse();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-admin-token-0123456789")]
    [InlineData("Basic dGVzdDp0ZXN0")]
    public async Task AdminRevoke_WithoutAdminToken_Returns401AndKeepsEverything(string? authorization)
    {
        await using var stack = await TunnelStack.StartAsync();
        using var response = await AuthApi.SendAsync(stack.Server, HttpMethod.Delete, $"/auth/clients/{stack.ClientId}/tokens", authorization);
        await response.ShouldBeAuthProblemAsync(HttpStatusCode.Unauthorized);

        using var clientTokenAsAdmin = await AuthApi.SendAsBearerAsync(stack.Server, HttpMethod.Delete, $"/auth/clients/{stack.ClientId}/tokens", stack.Token);
        await clientTokenAsAdmin.ShouldBeAuthProblemAsync(HttpStatusCode.Unauthorized);

        stack.IsAgentConnected.Should().BeTrue();
        using var http = stack.CreateClient();
        using var served = await http.GetAsync(stack.Url("/json"));
        served.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AdminRevoke_InvalidClientId_Returns400()
    {
        await using var server = await TunnelServer.StartAsync();
        using var response = await AuthApi.SendAsBearerAsync(server, HttpMethod.Delete, "/auth/clients/bad%20id/tokens", TunnelServer.AdminToken);
        await response.ShouldBeAuthProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AdminRevoke_ThenNewToken_AgentCanServeAgain()
    {
        await using var stack = await TunnelStack.StartAsync();
        await AuthApi.RevokeClientAsync(stack.Server, stack.ClientId);
        (await Eventually.HoldsAsync(() => !stack.IsAgentConnected, TimeSpan.FromSeconds(10))).Should().BeTrue();

        var fresh = await stack.Server.RegisterClientAsync(stack.ClientId);
        await using var agent = await AgentHost.StartAsync(stack.Server.BaseAddress, stack.ClientId, fresh, stack.Origin.BaseAddress);
        (await Eventually.HoldsAsync(() => stack.IsAgentConnected, TimeSpan.FromSeconds(10))).Should().BeTrue();
        stack.Server.Services.GetRequiredService<ConnectedAgents>().Count.Should().Be(1);
    }
}
