using Microsoft.AspNetCore.SignalR;
using Tunnel.Contracts.Hubs;

namespace Tunnel.Server.Agents;

/// <summary>One agent connected to this node: who it serves, how to call it, how to drop it.</summary>
internal sealed class AgentSession(string clientId, string connectionId, ITunnelAgent agent, HubCallerContext context)
{
    private int _inFlight;

    public string ClientId { get; } = clientId;

    public string ConnectionId { get; } = connectionId;

    public ITunnelAgent Agent { get; } = agent;

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
}
