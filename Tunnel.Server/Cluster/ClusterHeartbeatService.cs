using Microsoft.Extensions.Options;
using Tunnel.Server.Auth;
using Tunnel.Server.Agents;
using Tunnel.Server.Registry;

namespace Tunnel.Server.Cluster;

/// <summary>
/// Every <see cref="ClusterOptions.HeartbeatInterval"/>: writes this node's heartbeat, writes the rows of agents
/// accepted while the database was unreachable, drops this node's connections whose rows are gone (revoked, or a
/// newer agent instance connected to another node), and removes dead nodes' rows. Runs on a single node too: the
/// late rows and revocation need it there as well.
/// </summary>
internal sealed class ClusterHeartbeatService(
    ClusterNodes nodes,
    AgentRegistry registry,
    ConnectedAgents agents,
    AccessTokenCache tokens,
    IOptions<ClusterOptions> options,
    IOptions<TunnelOptions> tunnel,
    TimeProvider time,
    ILogger<ClusterHeartbeatService> logger) : BackgroundService
{
    private DateTime? _databaseUpSince;
    private bool _joined;
    private bool _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = time.GetUtcNow().UtcDateTime;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await BeatAsync(started, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Once per outage, not every beat: /health already says Degraded.
                if (!_failing)
                {
                    ClusterLog.HeartbeatFailed(logger, tunnel.Value.NodeId, ex.Message);
                }

                _failing = true;
                _databaseUpSince = null;
            }

            await Task.Delay(options.Value.HeartbeatInterval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task BeatAsync(DateTime started, CancellationToken cancellationToken)
    {
        var self = tunnel.Value.NodeId;
        var o = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        await nodes.HeartbeatAsync(self, o.InternalUrl?.ToString(), started, now, cancellationToken);
        _databaseUpSince ??= now;
        _failing = false;
        if (!_joined)
        {
            _joined = true;
            ClusterLog.NodeJoined(logger, self, o.InternalUrl?.ToString());
        }

        await WriteLateRowsAsync(self, cancellationToken);
        await DropGoneAsync(self, cancellationToken);

        // Judge others only after this node itself has reached the database for a whole timeout: after a shared
        // outage every heartbeat is old, and the first node back must not remove the others.
        if (now - _databaseUpSince >= o.NodeTimeout)
        {
            var (deadNodes, rows) = await nodes.RemoveDeadAsync(self, now - o.NodeTimeout, cancellationToken);
            if (deadNodes > 0 || rows > 0)
            {
                ClusterLog.DeadNodesRemoved(logger, deadNodes, rows);
            }
        }
    }

    private async Task WriteLateRowsAsync(string self, CancellationToken cancellationToken)
    {
        foreach (var session in agents.Snapshot())
        {
            if (session.Persisted || session.Disconnected.IsCancellationRequested)
            {
                continue;
            }

            await registry.UpsertAsync(session.ClientId, session.ConnectionId, self, cancellationToken, session.AgentInstance);
            session.Persisted = true;
            ClusterLog.RowWrittenLate(logger, session.ClientId, session.ConnectionId);
            if (session.Disconnected.IsCancellationRequested)
            {
                // Closed while we wrote: its disconnect may have run before the row existed.
                await registry.RemoveAsync(session.ClientId, session.ConnectionId, cancellationToken);
            }
        }
    }

    private async Task DropGoneAsync(string self, CancellationToken cancellationToken)
    {
        // Sessions first, rows second: a session persisted before this snapshot has its row committed already.
        var sessions = agents.Snapshot().Where(s => s.Persisted && !s.Disconnected.IsCancellationRequested).ToList();
        if (sessions.Count == 0)
        {
            return;
        }

        var rows = (await registry.ListNodeAsync(self, cancellationToken)).Select(r => r.ConnectionId).ToHashSet(StringComparer.Ordinal);
        var gone = sessions.Where(s => !rows.Contains(s.ConnectionId)).ToList();
        if (gone.Count == 0)
        {
            return;
        }

        var others = await registry.ListClientsAsync(gone.Select(s => s.ClientId).Distinct().ToList(), cancellationToken);
        foreach (var session in gone)
        {
            var newer = others.FirstOrDefault(r => r.ClientId == session.ClientId && r.AgentInstance != session.AgentInstance);
            ClusterLog.RowGone(logger, session.ClientId, session.ConnectionId, newer is not null);
            if (newer is not null)
            {
                await session.DisplaceAsync();
            }
            else
            {
                // Revoked on another node: this node must not let the agent back in on a cached token either.
                tokens.ForgetClient(session.ClientId);
                session.Abort();
            }
        }
    }
}
