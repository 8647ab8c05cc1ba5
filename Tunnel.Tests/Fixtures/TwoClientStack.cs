using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Tunnel.Server.Agents;

namespace Tunnel.Tests.Fixtures;

/// <summary>
/// One server carrying two clients, each with its own agent and its own origin (seeds 1 and 2, so every body
/// tells which origin produced it).
/// </summary>
public sealed class TwoClientStack : IAsyncDisposable
{
    public const string ClientA = "home-a";
    public const string ClientB = "home-b";
    public const int SeedA = 1;
    public const int SeedB = 2;

    private TwoClientStack(TunnelServer server, OriginApp originA, OriginApp originB, AgentHost agentA, AgentHost agentB, string tokenA, string tokenB)
    {
        Server = server;
        OriginA = originA;
        OriginB = originB;
        AgentA = agentA;
        AgentB = agentB;
        TokenA = tokenA;
        TokenB = tokenB;
    }

    public TunnelServer Server { get; }

    public OriginApp OriginA { get; }

    public OriginApp OriginB { get; }

    public AgentHost AgentA { get; }

    public AgentHost AgentB { get; }

    public string TokenA { get; }

    public string TokenB { get; }

    public static async Task<TwoClientStack> StartAsync(ServerSettings? settings = null)
    {
        var originA = await OriginApp.StartAsync(SeedA);
        var originB = await OriginApp.StartAsync(SeedB);
        var server = await TunnelServer.StartAsync(settings);
        var tokenA = await server.RegisterClientAsync(ClientA);
        var tokenB = await server.RegisterClientAsync(ClientB);
        var agentA = await AgentHost.StartAsync(server.BaseAddress, ClientA, tokenA, originA.BaseAddress);
        var agentB = await AgentHost.StartAsync(server.BaseAddress, ClientB, tokenB, originB.BaseAddress);
        var stack = new TwoClientStack(server, originA, originB, agentA, agentB, tokenA, tokenB);
        var agents = server.Services.GetRequiredService<ConnectedAgents>();
        (await Eventually.HoldsAsync(() => agents.TryGet(ClientA, out _) && agents.TryGet(ClientB, out _), TimeSpan.FromSeconds(10)))
            .Should().BeTrue("both agents should connect within 10 s");
        return stack;
    }

    public string TokenOf(string clientId) => clientId == ClientA ? TokenA : TokenB;

    public HttpClient CreateClient(string token)
    {
        var http = Server.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        await AgentA.DisposeAsync();
        await AgentB.DisposeAsync();
        await Server.DisposeAsync();
        await OriginA.DisposeAsync();
        await OriginB.DisposeAsync();
    }
}
