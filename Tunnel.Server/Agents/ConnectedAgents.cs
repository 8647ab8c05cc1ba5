using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Tunnel.Server.Agents;

/// <summary>
/// The agents connected to this node, by clientId. This is not a cache of the database: it is the live set of
/// this process's connections, so it stays right across reconnects by construction (a connection registers when
/// it opens and removes only itself when it closes). It also lets already-connected agents keep serving while
/// the database is unreachable.
/// </summary>
internal sealed class ConnectedAgents
{
    private readonly ConcurrentDictionary<string, AgentSession> _sessions = new(StringComparer.Ordinal);

    public int Count => _sessions.Count;

    /// <summary>Makes <paramref name="session"/> the client's agent; returns the one it replaces, if any.</summary>
    public AgentSession? Register(AgentSession session)
    {
        AgentSession? previous = null;
        _sessions.AddOrUpdate(
            session.ClientId,
            session,
            (_, existing) =>
            {
                previous = existing;
                return session;
            });
        return previous is not null && !ReferenceEquals(previous, session) ? previous : null;
    }

    /// <summary>Removes the client's entry only while it is still <paramref name="session"/>.</summary>
    public bool Remove(AgentSession session) =>
        _sessions.TryRemove(new KeyValuePair<string, AgentSession>(session.ClientId, session));

    public bool TryGet(string clientId, [NotNullWhen(true)] out AgentSession? session) =>
        _sessions.TryGetValue(clientId, out session);

    public IReadOnlyCollection<AgentSession> Snapshot() => _sessions.Values.ToArray();
}
