using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Tunnel.Server.Agents;

/// <summary>
/// The agents connected to this node, by clientId: every live connection of a client (an agent keeps several,
/// issue 12). This is not a cache of the database: it is the live set of this process's connections, so it stays
/// right across reconnects by construction (a connection registers when it opens and removes only itself when it
/// closes). It also lets already-connected agents keep serving while the database is unreachable.
/// </summary>
internal sealed class ConnectedAgents
{
    private readonly ConcurrentDictionary<string, ImmutableArray<AgentSession>> _sessions = new(StringComparer.Ordinal);
    private int _next;

    /// <summary>Clients with at least one connection on this node.</summary>
    public int Count => _sessions.Count;

    /// <summary>
    /// Adds <paramref name="session"/> to its client's connections. Connections of another agent instance are
    /// removed and returned: the newest agent wins; connections of the same instance never displace each other.
    /// </summary>
    public IReadOnlyList<AgentSession> Register(AgentSession session)
    {
        var displaced = ImmutableArray<AgentSession>.Empty;
        _sessions.AddOrUpdate(
            session.ClientId,
            _ => [session],
            (_, existing) =>
            {
                displaced = existing.RemoveAll(s => s.AgentInstance == session.AgentInstance);
                return existing.RemoveAll(s => s.AgentInstance != session.AgentInstance).Add(session);
            });
        return displaced;
    }

    /// <summary>Removes <paramref name="session"/> only; the client's other connections stay.</summary>
    public bool Remove(AgentSession session)
    {
        while (_sessions.TryGetValue(session.ClientId, out var existing))
        {
            if (!existing.Contains(session))
            {
                return false;
            }

            var remaining = existing.Remove(session);
            var done = remaining.IsEmpty
                ? _sessions.TryRemove(new KeyValuePair<string, ImmutableArray<AgentSession>>(session.ClientId, existing))
                : _sessions.TryUpdate(session.ClientId, remaining, existing);
            if (done)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One of the client's connections on this node, the least busy one (round robin among equals).</summary>
    public bool TryGet(string clientId, [NotNullWhen(true)] out AgentSession? session)
    {
        session = null;
        if (!_sessions.TryGetValue(clientId, out var all) || all.IsEmpty)
        {
            return false;
        }

        var start = (int)((uint)Interlocked.Increment(ref _next) % (uint)all.Length);
        for (var i = 0; i < all.Length; i++)
        {
            var candidate = all[(start + i) % all.Length];
            if (session is null || candidate.InFlight < session.InFlight)
            {
                session = candidate;
            }
        }

        return session is not null;
    }

    /// <summary>Every connection of the client on this node.</summary>
    public IReadOnlyList<AgentSession> All(string clientId) =>
        _sessions.TryGetValue(clientId, out var all) ? all : [];

    /// <summary>Every connection on this node.</summary>
    public IReadOnlyCollection<AgentSession> Snapshot() => _sessions.Values.SelectMany(s => s).ToArray();
}
