using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tunnel.Server.Agents;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Hubs;

/// <summary>The connection diagram, on SQLite and on MariaDB: connect, keep, disconnect, reconnect.</summary>
public sealed class AgentConnectionTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.MariaDb)]
    public async Task Agent_Connects_RowAppearsAndGoesOnDisconnect(DatabaseKind kind)
    {
        await using var origin = await OriginApp.StartAsync();
        await using var server = await TunnelServer.StartAsync(await ServerSettingsFor.DatabaseAsync(kind, "node-a"));
        var token = await server.RegisterClientAsync("home-row");

        var agent = await AgentHost.StartAsync(server.BaseAddress, "home-row", token, origin.BaseAddress);
        (await Eventually.HoldsAsync(async () => (await server.ConnectionRowsAsync()).Any(r => r.ClientId == "home-row")
                && server.Services.GetRequiredService<ConnectedAgents>().TryGet("home-row", out _), Within))
            .Should().BeTrue();
        var row = (await server.ConnectionRowsAsync()).Single();
        row.NodeId.Should().Be("node-a");
        row.ConnectionId.Should().NotBeNullOrEmpty();
        server.Services.GetRequiredService<ConnectedAgents>().TryGet("home-row", out var session).Should().BeTrue();
        session!.ConnectionId.Should().Be(row.ConnectionId);

        await agent.DisposeAsync();
        (await Eventually.HoldsAsync(async () => (await server.ConnectionRowsAsync()).Count == 0, Within))
            .Should().BeTrue("the row goes when the agent disconnects");
        (await Eventually.HoldsAsync(() => server.Logs.GetSnapshot().Any(r => r.Id.Name == "AgentDisconnected"), Within)).Should().BeTrue();
        server.Logs.GetSnapshot().Where(r => r.Id.Name == "AgentDisconnected").Should()
            .OnlyContain(r => !r.Message.Contains("(null)") && r.Message.Contains("closed without an error"), "a clean disconnect says so");
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.MariaDb)]
    public async Task Reconnect_OldConnectionsLateDisconnect_LeavesNewRow(DatabaseKind kind)
    {
        var settings = await ServerSettingsFor.DatabaseAsync(kind);
        // SignalR logs ConnectedEnding (Debug) once a connection's OnDisconnectedAsync, guarded delete included, returned.
        settings.Extra["Logging:LogLevel:Microsoft.AspNetCore.SignalR.HubConnectionHandler"] = "Debug";
        await using var server = await TunnelServer.StartAsync(settings);
        var token = await server.RegisterClientAsync("home-race");

        await using var first = await RawAgentConnection.ConnectAsync(server, "home-race", token);
        (await Eventually.HoldsAsync(async () => (await server.ConnectionRowsAsync()).Count == 1, Within)).Should().BeTrue();
        var firstRow = (await server.ConnectionRowsAsync()).Single();

        // The same client connects again before the first connection is gone (a reconnect racing a late close).
        await using var second = await RawAgentConnection.ConnectAsync(server, "home-race", token);
        // The new row is written before the old instance's is removed (issue 12): wait for the one row left.
        (await Eventually.HoldsAsync(async () => await server.ConnectionRowsAsync() is [var only] && only.ConnectionId != firstRow.ConnectionId, Within))
            .Should().BeTrue();
        var secondRow = (await server.ConnectionRowsAsync()).Single();

        // The first connection now closes late: its guarded delete must leave the second connection's row.
        await first.StopAsync();
        (await Eventually.HoldsAsync(() => server.Logs.GetSnapshot().Any(r => r.Id.Name == "ConnectedEnding"), Within))
            .Should().BeTrue("the server finished with the first connection, the only one that ended");
        var rows = await server.ConnectionRowsAsync();
        rows.Should().ContainSingle().Which.ConnectionId.Should().Be(secondRow.ConnectionId);
        server.Services.GetRequiredService<ConnectedAgents>().TryGet("home-race", out var session).Should().BeTrue();
        session!.ConnectionId.Should().Be(secondRow.ConnectionId);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.MariaDb)]
    public async Task ServerRestart_SamePort_AgentComesBackByItself(DatabaseKind kind)
    {
        await using var origin = await OriginApp.StartAsync();
        var settings = await ServerSettingsFor.DatabaseAsync(kind, "node-restart");
        var server = await TunnelServer.StartAsync(settings);
        var port = server.BaseAddress.Port;
        var token = await server.RegisterClientAsync("home-restart");
        await using var agent = await AgentHost.StartAsync(server.BaseAddress, "home-restart", token, origin.BaseAddress);
        (await Eventually.HoldsAsync(async () => (await server.ConnectionRowsAsync()).Count == 1, Within)).Should().BeTrue();

        await server.DisposeAsync();
        (await Eventually.HoldsAsync(() => agent.Logs.GetSnapshot().Any(r => r.Id.Name == "ConnectionLost"), Within))
            .Should().BeTrue("the agent noticed that the server went away");

        // Same database, same port: the agent must find its way back with no help.
        await using var restarted = await TunnelServer.StartAsync(new ServerSettings
        {
            SqlitePath = settings.SqlitePath,
            MySqlConnectionString = settings.MySqlConnectionString,
            NodeId = settings.NodeId,
            Port = port,
        });
        // The row is written just before the node starts routing to the connection: wait for both.
        var agents = restarted.Services.GetRequiredService<ConnectedAgents>();
        (await Eventually.HoldsAsync(async () => (await restarted.ConnectionRowsAsync()).Any(r => r.ClientId == "home-restart") && agents.TryGet("home-restart", out _), TimeSpan.FromSeconds(20)))
            .Should().BeTrue("the agent reconnects after the server comes back");

        using var http = restarted.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        using var response = await http.GetAsync("/json?clientId=home-restart");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.MariaDb)]
    public async Task Connect_BadToken_RefusedAndNothingWritten(DatabaseKind kind)
    {
        await using var server = await TunnelServer.StartAsync(await ServerSettingsFor.DatabaseAsync(kind));
        var mine = await server.RegisterClientAsync("home-a");
        var other = await server.RegisterClientAsync("home-b");

        foreach (var token in new[] { string.Empty, "not-a-token", other, mine + "x" })
        {
            var connect = async () =>
            {
                await using var connection = await RawAgentConnection.ConnectAsync(server, "home-a", token);
            };
            (await connect.Should().ThrowAsync<System.Net.WebSockets.WebSocketException>())
                .Which.Message.Should().Contain("401", "the hub refuses the upgrade itself");
        }

        (await server.ConnectionRowsAsync()).Should().BeEmpty();
        server.Services.GetRequiredService<ConnectedAgents>().Count.Should().Be(0);

        // The right token of the right client still works.
        await using var ok = await RawAgentConnection.ConnectAsync(server, "home-a", mine);
        (await Eventually.HoldsAsync(async () => (await server.ConnectionRowsAsync()).Count == 1, Within)).Should().BeTrue();
    }

    [Fact]
    public async Task Connect_WithoutSenderFlag_IsNotTheHub()
    {
        // Without sender=true /ws is a remote app's live-updates WebSocket (issue 11): a plain GET with the agent's
        // own token is not an upgrade and is refused as such, never served by the hub.
        await using var server = await TunnelServer.StartAsync();
        var token = await server.RegisterClientAsync("home-s");
        using var http = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ws?clientId=home-s");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await response.Content.ReadAsStringAsync()).Should().Contain("WebSocket upgrade required");
    }
}
