using Microsoft.AspNetCore.SignalR;
using Tunnel.Contracts.Hubs;

namespace Tunnel.Server.Agents;

/// <summary>One agent connected to this node: who it serves, how to call it, how to drop it.</summary>
internal sealed class AgentSession(string clientId, string connectionId, ITunnelAgent agent, HubCallerContext context, string? agentInstance = null)
{
    private int _inFlight;
    private volatile bool _persisted;

    public string ClientId { get; } = clientId;

    public string ConnectionId { get; } = connectionId;

    public ITunnelAgent Agent { get; } = agent;

    /// <summary>The agent process this connection belongs to; the connection id for agents that send none.</summary>
    public string AgentInstance { get; } = agentInstance ?? connectionId;

    /// <summary>
    /// True once the connection's registry row is written. An agent accepted while the database was unreachable
    /// is served at once; its row is written when the database is back (<c>Cluster/ClusterHeartbeatService</c>).
    /// </summary>
    public bool Persisted
    {
        get => _persisted;
        set => _persisted = value;
    }

    /// <summary>When the agent connected.</summary>
    public DateTimeOffset ConnectedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>Requests and bytes carried, and the last failure, for the admin page.</summary>
    public AgentTraffic Traffic { get; } = new();

    /// <summary>Fires when the agent's connection ends, for whatever reason.</summary>
    public CancellationToken Disconnected => context.ConnectionAborted;

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Takes one of the agent's in-flight slots; false when <paramref name="limit"/> are taken.</summary>
    public bool TryEnter(int limit)
    {
        while (true)
        {
            var current = Volatile.Read(ref _inFlight);
            if (current >= limit)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _inFlight, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    public void Exit() => Interlocked.Decrement(ref _inFlight);

    public void Abort() => context.Abort();

    /// <summary>Tells the agent that a newer one took over its client, then drops its connection.</summary>
    public async Task DisplaceAsync()
    {
        try
        {
            await Agent.Displaced("Another agent with a valid token for this client connected; this one was replaced.");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The connection may already be going; it is dropped below either way.
        }
        finally
        {
            Abort();
        }
    }
}
