using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tunnel.Server.Agents;

namespace Tunnel.Tests.Fixtures;

/// <summary>Origin + server + a connected agent for one client: the whole tunnel, ready to carry requests.</summary>
public sealed class TunnelStack : IAsyncDisposable
{
    private TunnelStack(TunnelServer server, OriginApp origin, AgentHost agent, string clientId, string token)
    {
        Server = server;
        Origin = origin;
        Agent = agent;
        ClientId = clientId;
        Token = token;
    }

    public TunnelServer Server { get; }

    public OriginApp Origin { get; }

    public AgentHost Agent { get; }

    public string ClientId { get; }

    public string Token { get; }

    public static async Task<TunnelStack> StartAsync(
        ServerSettings? settings = null, Dictionary<string, string?>? agentSettings = null, string clientId = "home-1", HomeWebSocketSettings? home = null)
    {
        var origin = await OriginApp.StartAsync(home: home);
        var server = await TunnelServer.StartAsync(settings);
        var token = await server.RegisterClientAsync(clientId);
        var agent = await AgentHost.StartAsync(server.BaseAddress, clientId, token, origin.BaseAddress, agentSettings);
        var stack = new TunnelStack(server, origin, agent, clientId, token);
        var connected = await Eventually.HoldsAsync(() => stack.IsAgentConnected, TimeSpan.FromSeconds(10));
        connected.Should().BeTrue("the agent should connect within 10 s");
        return stack;
    }

    public bool IsAgentConnected => Server.Services.GetRequiredService<ConnectedAgents>().TryGet(ClientId, out _);

    /// <summary>A client that authenticates as this stack's client.</summary>
    public HttpClient CreateClient()
    {
        var http = Server.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return http;
    }

    /// <summary>A path through the tunnel: <c>path</c> plus this stack's clientId.</summary>
    public string Url(string path) => path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "clientId=" + ClientId;

    /// <summary>A new signature token of this stack's client (<c>POST /auth/signature-token</c>), as the apps get theirs.</summary>
    public async Task<string> CreateSignatureAsync()
    {
        using var http = CreateClient();
        using var response = await http.PostAsync(new Uri("/auth/signature-token?clientId=" + ClientId, UriKind.Relative), null);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue("signature-token answered {0}: {1}", (int)response.StatusCode, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("token").GetString()!;
    }

    /// <summary>
    /// The live-updates URL a remote app opens: <c>ws://server/ws?{query}&amp;clientId=X&amp;signature=S</c> with a new
    /// signature (the web app's order, values URL-encoded).
    /// </summary>
    public async Task<Uri> RemoteWebSocketUriAsync(string query = "moosicboxProfile=master") =>
        new($"ws://{Server.BaseAddress.Authority}/ws?{(query.Length > 0 ? query + "&" : "")}clientId={Uri.EscapeDataString(ClientId)}&signature={Uri.EscapeDataString(await CreateSignatureAsync())}");

    public async ValueTask DisposeAsync()
    {
        await Agent.DisposeAsync();
        await Server.DisposeAsync();
        await Origin.DisposeAsync();
    }
}
