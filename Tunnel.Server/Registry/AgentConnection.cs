namespace Tunnel.Server.Registry;

/// <summary>
/// A row of <c>connections</c>: one live SignalR connection of a client's agent, on one node. A client has a row
/// per connection (an agent keeps several, issue 12), all of the same agent instance.
/// </summary>
internal sealed class AgentConnection
{
    public required string ClientId { get; set; }

    public required string ConnectionId { get; set; }

    public required string NodeId { get; set; }

    /// <summary>The agent process the connection belongs to (sent at connect); "newest agent wins" compares these.</summary>
    public string AgentInstance { get; set; } = "";

    public DateTime Created { get; set; }

    public DateTime Updated { get; set; }
}
