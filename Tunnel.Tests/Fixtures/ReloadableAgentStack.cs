using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Tunnel.Server.Agents;

namespace Tunnel.Tests.Fixtures;

/// <summary>
/// Origin + server + an agent whose settings live in a JSON file it watches (issue 14): tests change the agent while
/// it runs by rewriting the file, then wait for what the agent logs and the server sees.
/// </summary>
public sealed class ReloadableAgentStack : IAsyncDisposable
{
    public static readonly TimeSpan Within = TimeSpan.FromSeconds(15);

    private readonly Dictionary<string, object?> _agent;

    private ReloadableAgentStack(TunnelServer server, OriginApp origin, string token, string file, Dictionary<string, object?> agent)
    {
        Server = server;
        Origin = origin;
        Token = token;
        SettingsFile = file;
        _agent = agent;
    }

    public const string ClientId = "home-reload";

    public TunnelServer Server { get; }

    public OriginApp Origin { get; }

    public AgentHost Agent { get; private set; } = null!;

    /// <summary>The token the stack's own HTTP clients call with (the first one registered).</summary>
    public string Token { get; }

    public string SettingsFile { get; }

    public static async Task<ReloadableAgentStack> StartAsync()
    {
        var origin = await OriginApp.StartAsync();
        var server = await TunnelServer.StartAsync();
        var token = await server.RegisterClientAsync(ClientId);
        var file = Path.Combine(Directory.CreateTempSubdirectory("tunnel-agent-settings-").FullName, "appsettings.json");
        var agent = new Dictionary<string, object?>
        {
            ["ServerUrl"] = server.BaseAddress.ToString(),
            ["ClientId"] = ClientId,
            ["AccessToken"] = token,
            ["OriginUrl"] = origin.BaseAddress.ToString(),
            ["ReconnectMaxDelay"] = "00:00:01",
            // One connection (issue 12): these tests follow the agent's connection id.
            ["Connections"] = "1",
            ["DrainTimeout"] = "00:00:30",
        };
        var stack = new ReloadableAgentStack(server, origin, token, file, agent);
        await File.WriteAllTextAsync(file, stack.Json());
        stack.Agent = await AgentHost.StartWithSettingsFileAsync(file);
        (await Eventually.HoldsAsync(() => stack.ConnectionId is not null, Within)).Should().BeTrue("the agent should connect");
        return stack;
    }

    /// <summary>The server's connection id of the agent now, null when it is not connected.</summary>
    public string? ConnectionId => Server.Services.GetRequiredService<ConnectedAgents>().TryGet(ClientId, out var s) ? s.ConnectionId : null;

    /// <summary>Saves the settings file with <c>Agent:<paramref name="key"/></c> set to <paramref name="value"/>.</summary>
    public async Task SetAsync(string key, object? value) => await SetAsync(new Dictionary<string, object?> { [key] = value });

    public async Task SetAsync(Dictionary<string, object?> values)
    {
        foreach (var (key, value) in values)
        {
            _agent[key] = value;
        }

        // Rewritten in place, as an editor saves: the watcher may report it more than once.
        await File.WriteAllTextAsync(SettingsFile, Json());
    }

    /// <summary>Waits until the agent logged <paramref name="eventName"/> more than <paramref name="before"/> times.</summary>
    public async Task<FakeLogRecord> WaitForLogAsync(string eventName, int before = 0)
    {
        (await Eventually.HoldsAsync(() => Count(eventName) > before, Within)).Should().BeTrue($"the agent should log {eventName}");
        return Agent.Logs.GetSnapshot().Where(r => r.Id.Name == eventName).ElementAt(before);
    }

    public int Count(string eventName) => Agent.Logs.GetSnapshot().Count(r => r.Id.Name == eventName);

    /// <summary>How far both logs went; pass it to <see cref="ShouldHaveNoErrorsSince"/>.</summary>
    public (int Server, int Agent) LogMark() => (Server.Logs.Count, Agent.Logs.Count);

    /// <summary>Fails on an error either side logged since <paramref name="mark"/> (a swallowed failure is still one).</summary>
    public void ShouldHaveNoErrorsSince((int Server, int Agent) mark) =>
        Server.Logs.GetSnapshot().Skip(mark.Server).Concat(Agent.Logs.GetSnapshot().Skip(mark.Agent))
            .Where(r => r.Level >= Microsoft.Extensions.Logging.LogLevel.Error)
            .Select(r => $"{r.Category}: {r.Message} {r.Exception?.Message}")
            .Should().BeEmpty("changing the agent's settings is not a failure");

    public HttpClient CreateClient(string? token = null)
    {
        var http = Server.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ?? Token);
        return http;
    }

    public static string Url(string path) => path + "?clientId=" + ClientId;

    private string Json() => JsonSerializer.Serialize(new Dictionary<string, object> { ["Agent"] = _agent });

    public async ValueTask DisposeAsync()
    {
        await Agent.DisposeAsync();
        await Server.DisposeAsync();
        await Origin.DisposeAsync();
        File.Delete(SettingsFile);
    }
}
