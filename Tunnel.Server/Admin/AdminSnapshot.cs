namespace Tunnel.Server.Admin;

/// <summary>What the admin page shows at one moment: this node's agents (at most <c>MaxRows</c>, by client id) and totals.</summary>
internal sealed record AdminSnapshot(string Node, AdminTotals Totals, IReadOnlyList<AdminAgentRow> Agents, bool Truncated);
