using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Tunnel.Server.Agents;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Auth;

/// <summary>Only a client access token of X lets an agent serve X: signature and magic tokens never do.</summary>
public sealed class AgentIdentityTests
{
    [Fact]
    public async Task Hub_SignatureOrMagicTokenAsAgent_RefusedAndRealAgentKeepsServing()
    {
        await using var stack = await TunnelStack.StartAsync();
        var agents = stack.Server.Services.GetRequiredService<ConnectedAgents>();
        agents.TryGet(stack.ClientId, out var before).Should().BeTrue();
        var signature = await AuthApi.CreateSignatureAsync(stack.Server, stack.ClientId, stack.Token);
        var magic = Guid.NewGuid().ToString();
        await AuthApi.RegisterMagicAsync(stack.Server, stack.ClientId, stack.Token, magic);

        var attempts = new (string Token, string Query)[]
        {
            (signature, string.Empty),
            (signature, "&signature=" + Uri.EscapeDataString(signature)),
            ("not-the-token-" + Guid.NewGuid(), "&signature=" + Uri.EscapeDataString(signature)),
            (magic, string.Empty),
            (magic, "&magicToken=" + magic),
        };
        foreach (var (token, query) in attempts)
        {
            var connect = async () =>
            {
                await using var hijack = await RawAgentConnection.ConnectAsync(stack.Server, stack.ClientId, token, query);
            };
            (await connect.Should().ThrowAsync<WebSocketException>()).Which.Message.Should().Contain("401");
        }

        agents.TryGet(stack.ClientId, out var after).Should().BeTrue();
        after!.ConnectionId.Should().Be(before!.ConnectionId, "the real agent was never displaced");
        using var http = stack.Server.CreateClient();
        using var response = await http.GetAsync(BadCredentials.WithSignature(stack.Url("/files/track"), signature));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await ExpectedBody.Sha256Async(response)).Should().Be(ExpectedBody.TrackSha256(stack.Origin.Seed));
        stack.Agent.Logs.GetSnapshot().Should().NotContain(r => r.Id.Name == "Displaced" || r.Message.Contains("displaced", StringComparison.OrdinalIgnoreCase));
    }
}
