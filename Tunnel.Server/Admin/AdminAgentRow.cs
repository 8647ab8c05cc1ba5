using Tunnel.Server.Agents;

namespace Tunnel.Server.Admin;

/// <summary>One connected agent as the admin page shows it.</summary>
internal sealed record AdminAgentRow(
    string ClientId,
    string Node,
    DateTimeOffset ConnectedAt,
    int InFlight,
    long Requests,
    long BytesToAgent,
    long BytesFromAgent,
    AgentFailure? LastError);
