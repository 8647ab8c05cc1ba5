using Microsoft.Extensions.Options;
using Tunnel.Server.Agents;

namespace Tunnel.Server.Admin;

/// <summary>Reads this node's live agent sessions and their counters into an <see cref="AdminSnapshot"/>.</summary>
internal sealed class AdminSnapshotSource(ConnectedAgents agents, IOptions<TunnelOptions> options)
{
    /// <summary>Rows sent to the page; totals still count every agent.</summary>
    public const int MaxRows = 500;

    public AdminSnapshot Take()
    {
        var node = options.Value.NodeId;
        var sessions = agents.Snapshot();
        var rows = new List<AdminAgentRow>(sessions.Count);
        int inFlight = 0;
        long requests = 0, toAgents = 0, fromAgents = 0;
        foreach (var session in sessions)
        {
            var traffic = session.Traffic;
            var row = new AdminAgentRow(session.ClientId, node, session.ConnectedAt, session.InFlight, traffic.Requests,
                traffic.BytesToAgent, traffic.BytesFromAgent, traffic.LastFailure);
            rows.Add(row);
            inFlight += row.InFlight;
            requests += row.Requests;
            toAgents += row.BytesToAgent;
            fromAgents += row.BytesFromAgent;
        }

        rows.Sort((a, b) => string.CompareOrdinal(a.ClientId, b.ClientId));
        var totals = new AdminTotals(sessions.Count, inFlight, requests, toAgents, fromAgents);
        return new AdminSnapshot(node, totals, rows.Count > MaxRows ? rows[..MaxRows] : rows, rows.Count > MaxRows);
    }
}
