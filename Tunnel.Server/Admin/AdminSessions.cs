using System.Collections.Concurrent;
using Tunnel.Server.Auth;

namespace Tunnel.Server.Admin;

/// <summary>
/// Signed-in admin browsers, held in this process's memory. The cookie carries only a random session id (256 bits);
/// the admin token never leaves the sign-in form. Ids are kept as SHA-256 hashes, sessions end after
/// <see cref="Lifetime"/> or at sign-out, and at most <see cref="MaxSessions"/> live at once (the oldest goes first).
/// A restart signs everyone out, and each node of a multi-node deployment has its own sessions.
/// </summary>
internal sealed class AdminSessions(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    public const int MaxSessions = 64;

    private readonly ConcurrentDictionary<string, AdminSession> _sessions = new(StringComparer.Ordinal);

    /// <summary>Starts a session; returns the id for the cookie and the session.</summary>
    public (string Id, AdminSession Session) Create()
    {
        var id = TokenGenerator.NewToken();
        var session = new AdminSession(TokenGenerator.NewToken(), time.GetUtcNow() + Lifetime);
        RemoveExpired();
        while (_sessions.Count >= MaxSessions && _sessions.MinBy(s => s.Value.Expires) is { Key: { } oldest })
        {
            _sessions.TryRemove(oldest, out _);
        }

        _sessions[TokenHasher.Hash(id)] = session;
        return (id, session);
    }

    /// <summary>The live session of a cookie value, or null.</summary>
    public AdminSession? Find(string? id)
    {
        if (id is null || !TokenFormat.IsPlausible(id) || !_sessions.TryGetValue(TokenHasher.Hash(id), out var session))
        {
            return null;
        }

        if (session.Expires > time.GetUtcNow())
        {
            return session;
        }

        _sessions.TryRemove(TokenHasher.Hash(id), out _);
        return null;
    }

    public void End(string? id)
    {
        if (id is not null)
        {
            _sessions.TryRemove(TokenHasher.Hash(id), out _);
        }
    }

    private void RemoveExpired()
    {
        var now = time.GetUtcNow();
        foreach (var (key, session) in _sessions)
        {
            if (session.Expires <= now)
            {
                _sessions.TryRemove(key, out _);
            }
        }
    }
}
