using Microsoft.Extensions.DependencyInjection;
using Tunnel.Server.Registry;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Registry;

/// <summary>The registry's writes, on both providers, through the server's own services and migrations.</summary>
public sealed class AgentRegistryTests
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.MariaDb)]
    public async Task Upsert_SameClientTwice_KeepsOneRowWithLatestConnection(DatabaseKind kind)
    {
        await using var server = await TunnelServer.StartAsync(await ServerSettingsFor.DatabaseAsync(kind));
        var registry = server.Services.GetRequiredService<AgentRegistry>();

        await registry.UpsertAsync("c1", "conn-1", "node-1", CancellationToken.None);
        await registry.UpsertAsync("c1", "conn-2", "node-2", CancellationToken.None);

        var row = (await server.ConnectionRowsAsync()).Should().ContainSingle().Subject;
        row.ConnectionId.Should().Be("conn-2");
        row.NodeId.Should().Be("node-2");
        row.Updated.Should().BeOnOrAfter(row.Created);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.MariaDb)]
    public async Task Remove_WithStaleConnectionId_LeavesRow(DatabaseKind kind)
    {
        await using var server = await TunnelServer.StartAsync(await ServerSettingsFor.DatabaseAsync(kind));
        var registry = server.Services.GetRequiredService<AgentRegistry>();
        await registry.UpsertAsync("c1", "conn-old", "n", CancellationToken.None);
        await registry.UpsertAsync("c1", "conn-new", "n", CancellationToken.None);

        (await registry.RemoveAsync("c1", "conn-old", CancellationToken.None)).Should().BeFalse();
        (await registry.FindAsync("c1", CancellationToken.None))!.ConnectionId.Should().Be("conn-new");

        (await registry.RemoveAsync("c1", "conn-new", CancellationToken.None)).Should().BeTrue();
        (await registry.FindAsync("c1", CancellationToken.None)).Should().BeNull();
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.MariaDb)]
    public async Task ConcurrentUpserts_OfOneClient_LeaveExactlyOneRow(DatabaseKind kind)
    {
        await using var server = await TunnelServer.StartAsync(await ServerSettingsFor.DatabaseAsync(kind));
        var registry = server.Services.GetRequiredService<AgentRegistry>();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => registry.UpsertAsync("racy", $"conn-{i}", "n", CancellationToken.None)));

        (await server.ConnectionRowsAsync()).Where(r => r.ClientId == "racy").Should().ContainSingle();
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.MariaDb)]
    public async Task Start_RemovesOwnStaleRows_KeepsOtherNodes(DatabaseKind kind)
    {
        var settings = await ServerSettingsFor.DatabaseAsync(kind, "node-crashed");
        await using (var first = await TunnelServer.StartAsync(settings))
        {
            var registry = first.Services.GetRequiredService<AgentRegistry>();
            await registry.UpsertAsync("mine", "conn-x", "node-crashed", CancellationToken.None);
            await registry.UpsertAsync("theirs", "conn-y", "node-other", CancellationToken.None);
        }

        // A restart of the same node (as after a crash) cleans up what it left behind, and only that.
        await using var again = await TunnelServer.StartAsync(new ServerSettings
        {
            SqlitePath = settings.SqlitePath,
            MySqlConnectionString = settings.MySqlConnectionString,
            NodeId = "node-crashed",
        });
        (await again.ConnectionRowsAsync()).Select(r => r.ClientId).Should().BeEquivalentTo(["theirs"]);
    }
}
