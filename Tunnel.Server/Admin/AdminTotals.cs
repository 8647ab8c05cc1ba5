namespace Tunnel.Server.Admin;

/// <summary>Sums over every agent connected to this node (also those beyond the page's row limit).</summary>
internal sealed record AdminTotals(int Agents, int InFlight, long Requests, long BytesToAgents, long BytesFromAgents);
