using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tunnel.Agent.Requests;
using Tunnel.Tests.Auth;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Agent;

/// <summary>
/// Issue 14 item 4: the agent's settings change while it runs, by saving the JSON file it watches, on the real
/// stack (server, agent, origin apps). Every step waits for what the agent logs or what the server sees.
/// </summary>
public sealed class LiveReconfigurationTests
{
    private const int Size = 100_000;

    [Fact]
    public async Task EnabledFalse_AgentDisconnectsWithoutExiting_EnabledTrue_ServesAgain()
    {
        await using var stack = await ReloadableAgentStack.StartAsync();
        var mark = stack.LogMark();
        using var http = stack.CreateClient();
        var lifetime = stack.Agent.Services.GetRequiredService<IHostApplicationLifetime>();

        await stack.SetAsync("Enabled", false);
        await stack.WaitForLogAsync("Disabled");
        (await Eventually.HoldsAsync(() => stack.ConnectionId is null, ReloadableAgentStack.Within)).Should().BeTrue("the server should see the agent leave");
        using (var refused = await http.GetAsync(ReloadableAgentStack.Url($"/files/{Size}")))
        {
            refused.StatusCode.Should().Be(HttpStatusCode.FailedDependency, "no agent serves the client while it is disabled");
        }

        lifetime.ApplicationStopping.IsCancellationRequested.Should().BeFalse("a disabled agent keeps running");
        stack.Agent.Logs.GetSnapshot().Should().NotContain(r => r.Id.Name == "ConnectionLost", "leaving on purpose is not a lost connection");

        await stack.SetAsync("Enabled", true);
        (await Eventually.HoldsAsync(() => stack.ConnectionId is not null, ReloadableAgentStack.Within)).Should().BeTrue("the agent should connect again");
        await ShouldServePatternAsync(http, seed: 0);
        stack.ShouldHaveNoErrorsSince(mark);
    }

    [Fact]
    public async Task NewAccessToken_AfterTheOldWasRevoked_AgentConnectsWithIt()
    {
        await using var stack = await ReloadableAgentStack.StartAsync();
        await AuthApi.RevokeClientAsync(stack.Server, ReloadableAgentStack.ClientId);
        (await Eventually.HoldsAsync(() => stack.ConnectionId is null, ReloadableAgentStack.Within)).Should().BeTrue();
        var failedBefore = stack.Count("TokenRefused");
        (await Eventually.HoldsAsync(() => stack.Count("TokenRefused") > failedBefore, ReloadableAgentStack.Within))
            .Should().BeTrue("the old token is refused now");

        var fresh = await stack.Server.RegisterClientAsync(ReloadableAgentStack.ClientId);
        await stack.SetAsync("AccessToken", fresh);
        (await Eventually.HoldsAsync(() => stack.ConnectionId is not null, ReloadableAgentStack.Within)).Should().BeTrue("the agent should connect with the new token");
        using var http = stack.CreateClient(fresh);
        await ShouldServePatternAsync(http, seed: 0);
        stack.Agent.Logs.GetSnapshot().Should().NotContain(r => r.Message.Contains(fresh, StringComparison.Ordinal), "tokens are never logged");
    }

    [Fact]
    public async Task NewAccessToken_RequestInFlight_FinishesByteExactThenNewConnection()
    {
        await using var stack = await ReloadableAgentStack.StartAsync();
        var mark = stack.LogMark();
        var before = stack.ConnectionId;
        using var http = stack.CreateClient();
        const long large = 32L * 1024 * 1024;

        // The caller reads nothing yet: the response's credit runs out and the request stays in the agent.
        using var inFlight = await http.GetAsync(ReloadableAgentStack.Url($"/files/{large}"), HttpCompletionOption.ResponseHeadersRead);
        inFlight.StatusCode.Should().Be(HttpStatusCode.OK);

        await stack.SetAsync("AccessToken", await stack.Server.RegisterClientAsync(ReloadableAgentStack.ClientId));
        var draining = await stack.WaitForLogAsync("Reconfiguring");
        draining.StructuredState!.Should().Contain(new KeyValuePair<string, string?>("InFlight", "1"));

        (await BodyHash.ReadAsync(inFlight, CancellationToken.None)).Should().Be(BodyHash.OfPattern(large), "a request in flight finishes on the old connection");
        (await Eventually.HoldsAsync(() => stack.ConnectionId is { } now && now != before, ReloadableAgentStack.Within))
            .Should().BeTrue("the agent should come back on a new connection");
        await ShouldServePatternAsync(http, seed: 0);
        stack.ShouldHaveNoErrorsSince(mark);
    }

    [Fact]
    public async Task NewOriginUrl_NewRequestsReachTheSecondOrigin_RequestInFlightFinishesOnTheFirst()
    {
        await using var stack = await ReloadableAgentStack.StartAsync();
        await using var second = await OriginApp.StartAsync(seed: 1);
        var mark = stack.LogMark();
        var connection = stack.ConnectionId;
        using var http = stack.CreateClient();
        const long large = 32L * 1024 * 1024;
        using var inFlight = await http.GetAsync(ReloadableAgentStack.Url($"/files/{large}"), HttpCompletionOption.ResponseHeadersRead);

        await stack.SetAsync("OriginUrl", second.BaseAddress.ToString());
        (await stack.WaitForLogAsync("SettingsReloaded")).Message.Should().Contain("Agent:OriginUrl");
        stack.Agent.Services.GetRequiredService<ActiveRequests>().Count.Should().Be(1, "the first request is still in flight when the origin changes");

        await ShouldServePatternAsync(http, seed: 1);
        (await BodyHash.ReadAsync(inFlight, CancellationToken.None)).Should().Be(BodyHash.OfPattern(large, seed: 0), "the request in flight stays on the first origin");
        stack.ConnectionId.Should().Be(connection, "a new origin needs no new connection");
        stack.ShouldHaveNoErrorsSince(mark);
    }

    [Fact]
    public async Task NewServerUrl_AgentMovesToTheSecondServer()
    {
        await using var stack = await ReloadableAgentStack.StartAsync();
        await using var other = await TunnelServer.StartAsync();
        var token = await other.RegisterClientAsync(ReloadableAgentStack.ClientId);

        await stack.SetAsync(new Dictionary<string, object?> { ["ServerUrl"] = other.BaseAddress.ToString(), ["AccessToken"] = token });
        (await Eventually.HoldsAsync(() => stack.ConnectionId is null, ReloadableAgentStack.Within)).Should().BeTrue("the first server should see the agent leave");
        (await Eventually.HoldsAsync(() => other.Services.GetRequiredService<Tunnel.Server.Agents.ConnectedAgents>().TryGet(ReloadableAgentStack.ClientId, out _), ReloadableAgentStack.Within))
            .Should().BeTrue("the agent should connect to the second server");

        using var http = other.CreateClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        await ShouldServePatternAsync(http, seed: 0);
    }

    [Theory]
    [InlineData("ServerUrl", "not a url", "Agent:ServerUrl")]
    [InlineData("OriginUrl", "ftp://127.0.0.1/", "Agent:OriginUrl")]
    [InlineData("OriginTimeout", "soon", "Agent:OriginTimeout")]
    [InlineData("AccessToken", " ", "Agent:AccessToken")]
    public async Task BadValue_RefusedWithWarningNamingTheKey_AgentKeepsServing(string key, string value, string named)
    {
        await using var stack = await ReloadableAgentStack.StartAsync();
        var connection = stack.ConnectionId;
        using var http = stack.CreateClient();

        await stack.SetAsync(key, value);
        var refused = await stack.WaitForLogAsync("SettingRefused");
        refused.Level.Should().Be(Microsoft.Extensions.Logging.LogLevel.Warning);
        refused.Message.Should().Contain(named);
        refused.StructuredState!.Should().Contain(new KeyValuePair<string, string?>("Key", named));

        await ShouldServePatternAsync(http, seed: 0);
        stack.ConnectionId.Should().Be(connection, "the agent stays on its last good settings");
        stack.Count("SettingsReloaded").Should().Be(0);
    }

    [Fact]
    public async Task SameSettingsSavedAgain_NothingChanges()
    {
        await using var stack = await ReloadableAgentStack.StartAsync();
        var connection = stack.ConnectionId;

        // A save that changes nothing, then one that does: only the second is applied, once.
        await stack.SetAsync("DrainTimeout", "00:00:30");
        await stack.SetAsync("OriginBodyIdleTimeout", "00:00:45");
        (await stack.WaitForLogAsync("SettingsReloaded")).Message.Should().Contain("Agent:OriginBodyIdleTimeout").And.NotContain("DrainTimeout");
        stack.Count("SettingsReloaded").Should().Be(1);
        stack.ConnectionId.Should().Be(connection);
    }

    [Fact]
    public async Task AgentProcess_AppsettingsJsonSaved_DisablesAndEnablesWithoutRestart()
    {
        // The real Tunnel.Agent as users run it: appsettings.json in its content root (the working folder), which the
        // default host watches.
        await using var origin = await OriginApp.StartAsync();
        await using var server = await TunnelServer.StartAsync();
        const string clientId = "home-reload-process";
        var token = await server.RegisterClientAsync(clientId);
        var folder = Directory.CreateTempSubdirectory("tunnel-agent-process-").FullName;
        var file = Path.Combine(folder, "appsettings.json");
        string Settings(bool enabled) => System.Text.Json.JsonSerializer.Serialize(new
        {
            Agent = new { Enabled = enabled, ServerUrl = server.BaseAddress, ClientId = clientId, AccessToken = token, OriginUrl = origin.BaseAddress, ReconnectMaxDelay = "00:00:01" },
        });
        await File.WriteAllTextAsync(file, Settings(true));
        await using var agent = ProjectProcess.Start("Tunnel.Agent", folder, []);
        var agents = server.Services.GetRequiredService<Tunnel.Server.Agents.ConnectedAgents>();
        (await Eventually.HoldsAsync(() => agents.TryGet(clientId, out _), TimeSpan.FromSeconds(60))).Should().BeTrue(agent.Output);

        // A save that is not JSON (half an edit) is refused and the agent keeps serving; the next good save applies.
        await File.WriteAllTextAsync(file, "{ \"Agent\": { \"Enabled\": fal");
        (await agent.WaitForLineAsync("New agent settings refused", ReloadableAgentStack.Within)).Should().NotBeNull(agent.Output);
        agents.TryGet(clientId, out _).Should().BeTrue("the agent keeps its last good settings");
        await File.WriteAllTextAsync(file, Settings(false));
        (await agent.WaitForLineAsync("The agent is disabled", ReloadableAgentStack.Within)).Should().NotBeNull(agent.Output);
        (await Eventually.HoldsAsync(() => !agents.TryGet(clientId, out _), ReloadableAgentStack.Within)).Should().BeTrue(agent.Output);
        agent.HasExited.Should().BeFalse("a disabled agent keeps running");

        await File.WriteAllTextAsync(file, Settings(true));
        (await Eventually.HoldsAsync(() => agents.TryGet(clientId, out _), ReloadableAgentStack.Within)).Should().BeTrue(agent.Output);
        using var http = server.CreateClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await http.GetAsync($"/files/{Size}?clientId={clientId}", HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.Should().Be(HttpStatusCode.OK, agent.Output);
        (await BodyHash.ReadAsync(response, CancellationToken.None)).Should().Be(BodyHash.OfPattern(Size));
        agent.Output.Should().NotContain(token, "tokens are never logged");
    }

    private static async Task ShouldServePatternAsync(HttpClient http, int seed)
    {
        using var response = await http.GetAsync(ReloadableAgentStack.Url($"/files/{Size}"), HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await BodyHash.ReadAsync(response, CancellationToken.None)).Should().Be(BodyHash.OfPattern(Size, seed));
    }
}
