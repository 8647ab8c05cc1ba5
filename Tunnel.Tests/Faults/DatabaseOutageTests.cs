using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Tunnel.Server.Agents;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Faults;

/// <summary>
/// The database goes away for 30 s: connected agents keep being served from what the node knows, /health says
/// degraded, an agent connecting meanwhile is accepted and served (its row is written once the database is back,
/// issue 12), and everything recovers by itself.
/// </summary>
public sealed class DatabaseOutageTests
{
    [Fact]
    public async Task DatabaseDown30s_ConnectedAgentsServed_HealthDegraded_RecoversByItself()
    {
        var direct = new MySqlConnectionStringBuilder(await MariaDb.CreateDatabaseAsync());
        await using var proxy = new CuttableTcpProxy(new IPEndPoint(IPAddress.Loopback, (int)direct.Port));
        var viaProxy = new MySqlConnectionStringBuilder(direct.ConnectionString) { Port = (uint)proxy.Port, ConnectionTimeout = 3 };

        await using var originA = await OriginApp.StartAsync(seed: 1);
        await using var originB = await OriginApp.StartAsync(seed: 2);
        await using var server = await TunnelServer.StartAsync(new ServerSettings { MySqlConnectionString = viaProxy.ConnectionString });
        var tokenA = await server.RegisterClientAsync("home-a");
        var tokenB = await server.RegisterClientAsync("home-b");
        await using var agentA = await AgentHost.StartAsync(server.BaseAddress, "home-a", tokenA, originA.BaseAddress);
        var agentB = await AgentHost.StartAsync(server.BaseAddress, "home-b", tokenB, originB.BaseAddress);
        var agents = server.Services.GetRequiredService<ConnectedAgents>();
        (await Eventually.HoldsAsync(() => agents.Count == 2, TimeSpan.FromSeconds(15))).Should().BeTrue();

        using var httpA = ClientWith(server, tokenA);
        using var httpB = ClientWith(server, tokenB);
        (await GetPatternAsync(httpA, "home-a", 1)).Should().BeTrue();
        (await GetPatternAsync(httpB, "home-b", 2)).Should().BeTrue();

        proxy.Cut();

        using var http = server.CreateClient();
        using (var health = await http.GetAsync("/health"))
        {
            health.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            using var json = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
            json.RootElement.GetProperty("status").GetString().Should().Be("Degraded");
            json.RootElement.GetProperty("healthy").GetBoolean().Should().BeFalse();
        }

        // Agent B goes away and comes back during the outage: accepted and served although its row cannot be written.
        await agentB.DisposeAsync();
        (await Eventually.HoldsAsync(() => agents.Count == 1, TimeSpan.FromSeconds(10))).Should().BeTrue();
        agentB = await AgentHost.StartAsync(server.BaseAddress, "home-b", tokenB, originB.BaseAddress);
        (await Eventually.HoldsAsync(async () => await GetPatternAsync(httpB, "home-b", 2), TimeSpan.FromSeconds(15)))
            .Should().BeTrue("an agent connecting during the outage is served by its node");

        // 31 s without a database, past the token cache's 30 s freshness: A is served throughout.
        var outageEnds = DateTime.UtcNow + TimeSpan.FromSeconds(31);
        var served = 0;
        while (DateTime.UtcNow < outageEnds)
        {
            (await GetPatternAsync(httpA, "home-a", 1)).Should().BeTrue($"request {served} during the outage is served");
            served++;
            await Task.Delay(500);
        }

        served.Should().BeGreaterThan(20);
        (await GetPatternAsync(httpB, "home-b", 2)).Should().BeTrue("agent B is still served at the end of the outage");
        (await server.ConnectionRowsOrNullAsync()).Should().BeNull("the database is still unreachable");

        proxy.Restore();

        (await Eventually.HoldsAsync(async () => (await server.ConnectionRowsAsync()).Select(r => r.ClientId).Order(StringComparer.Ordinal).SequenceEqual(["home-a", "home-b"]), TimeSpan.FromSeconds(15)))
            .Should().BeTrue("agent B's row is written once the database is back");
        (await Eventually.HoldsAsync(async () =>
        {
            using var health = await http.GetAsync("/health");
            return health.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(10))).Should().BeTrue();
        // Converged, not just passed through: a connection that closes in these seconds (seen once in the full suite:
        // a third home-b row) must lose its row again, or this fails.
        (await Eventually.HoldsAsync(async () => (await server.ConnectionRowsAsync()).Select(r => r.ClientId).Order(StringComparer.Ordinal).SequenceEqual(["home-a", "home-b"]), TimeSpan.FromSeconds(15)))
            .Should().BeTrue("one row per connected agent once the database is back");
        (await GetPatternAsync(httpA, "home-a", 1)).Should().BeTrue();
        await agentB.DisposeAsync();
    }

    private static HttpClient ClientWith(TunnelServer server, string token)
    {
        var http = server.CreateClient();
        http.Timeout = TimeSpan.FromSeconds(15);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static async Task<bool> GetPatternAsync(HttpClient http, string clientId, int seed)
    {
        try
        {
            using var response = await http.GetAsync($"/files/70000?clientId={clientId}");
            return response.StatusCode == HttpStatusCode.OK
                && await BodyHash.ReadAsync(response, CancellationToken.None) == BodyHash.OfPattern(70000, seed);
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
