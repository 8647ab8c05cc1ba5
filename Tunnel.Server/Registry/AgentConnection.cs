namespace Tunnel.Server.Registry;

/// <summary>A row of <c>connections</c>: which SignalR connection, on which node, serves a client.</summary>
internal sealed class AgentConnection
{
    public required string ClientId { get; set; }

    public required string ConnectionId { get; set; }

    public required string NodeId { get; set; }

    public DateTime Created { get; set; }

    public DateTime Updated { get; set; }
}
