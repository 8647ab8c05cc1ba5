using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tunnel.Server.Agents;

namespace Tunnel.Tests.Fixtures;

/// <summary>
/// The whole tunnel (real server, real agent over WebSockets) in front of a <see cref="RawOrigin"/> that sends the
/// exact bytes a test wants.
/// </summary>
public sealed class RawOriginStack : IAsyncDisposable
{
    private RawOriginStack(TunnelServer server, RawOrigin origin, AgentHost agent, string clientId, string token)
    {
        Server = server;
        Origin = origin;
        Agent = agent;
        ClientId = clientId;
        Token = token;
    }

    public TunnelServer Server { get; }

    public RawOrigin Origin { get; }

    public AgentHost Agent { get; }

    public string ClientId { get; }

    public string Token { get; }

    public static async Task<RawOriginStack> StartAsync(Dictionary<string, string?>? agentSettings = null, string clientId = "raw-1")
    {
        var origin = RawOrigin.Start();
        var server = await TunnelServer.StartAsync();
        var token = await server.RegisterClientAsync(clientId);
        var agent = await AgentHost.StartAsync(server.BaseAddress, clientId, token, origin.BaseAddress, agentSettings);
        var stack = new RawOriginStack(server, origin, agent, clientId, token);
        var connected = await Eventually.HoldsAsync(
            () => server.Services.GetRequiredService<ConnectedAgents>().TryGet(clientId, out _), TimeSpan.FromSeconds(10));
        connected.Should().BeTrue("the agent should connect within 10 s");
        return stack;
    }

    /// <summary>A client that authenticates as this stack's client.</summary>
    public HttpClient CreateClient()
    {
        var http = Server.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return http;
    }

    /// <summary>A path through the tunnel: <c>path</c> plus this stack's clientId.</summary>
    public string Url(string path) => path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "clientId=" + ClientId;

    /// <summary>Where the logs stand; pass it to <see cref="ShouldHaveNoErrorsSince"/> at the end of a test.</summary>
    public (int Server, int Agent) LogMark() => (Server.Logs.Count, Agent.Logs.Count);

    public void ShouldHaveNoErrorsSince((int Server, int Agent) mark)
    {
        var errors = Server.Logs.GetSnapshot().Skip(mark.Server).Concat(Agent.Logs.GetSnapshot().Skip(mark.Agent))
            .Where(r => r.Level >= LogLevel.Error)
            .Select(r => $"{r.Category}: {r.Message} {r.Exception?.GetType().Name} {r.Exception?.Message}")
            .ToList();
        errors.Should().BeEmpty("nothing in a test's traffic is a bug on the server or the agent");
    }

    public async ValueTask DisposeAsync()
    {
        await Agent.DisposeAsync();
        await Server.DisposeAsync();
        await Origin.DisposeAsync();
    }
}
