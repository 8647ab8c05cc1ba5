using System.Collections.Concurrent;

namespace Tunnel.Server.Auth;

/// <summary>
/// What this node last learned from the database about client access tokens, by token hash. A grant younger than
/// <see cref="FreshFor"/> is trusted without asking the database (one lookup per token per half minute instead of
/// one per request); while the database is unreachable, grants up to <see cref="StaleFor"/> old keep already-known
/// callers and agents served. Revocation on this node drops a client's grants at once; other nodes notice within
/// <see cref="FreshFor"/>.
/// </summary>
internal sealed class AccessTokenCache(TimeProvider time)
{
    public static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan StaleFor = TimeSpan.FromHours(1);

    /// <summary>After a database failure, go straight to the cache for this long instead of waiting on timeouts.</summary>
    public static readonly TimeSpan OutageBackoff = TimeSpan.FromSeconds(5);

    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, Grant> _grants = new(StringComparer.Ordinal);
    private long _databaseDownUntilTicks;

    public bool DatabaseRecentlyDown => time.GetUtcNow().UtcTicks < Interlocked.Read(ref _databaseDownUntilTicks);

    public void DatabaseFailed() =>
        Interlocked.Exchange(ref _databaseDownUntilTicks, (time.GetUtcNow() + OutageBackoff).UtcTicks);

    /// <summary>The grant for <paramref name="hash"/> if it names <paramref name="clientId"/>, is unexpired and younger than <paramref name="maxAge"/>.</summary>
    public bool Allows(string hash, string clientId, TimeSpan maxAge)
    {
        var now = time.GetUtcNow();
        return _grants.TryGetValue(hash, out var grant)
            && grant.ClientId == clientId
            && (grant.Expires is null || grant.Expires > now.UtcDateTime)
            && now - grant.CheckedAt < maxAge;
    }

    public void Remember(string hash, string clientId, DateTime? expires)
    {
        if (_grants.Count >= MaxEntries)
        {
            // Bounded: a flood of distinct valid tokens cannot grow memory; the database answers meanwhile.
            _grants.Clear();
        }

        _grants[hash] = new Grant(clientId, expires, time.GetUtcNow());
    }

    public void Forget(string hash) => _grants.TryRemove(hash, out _);

    public void ForgetClient(string clientId)
    {
        foreach (var (hash, grant) in _grants)
        {
            if (grant.ClientId == clientId)
            {
                _grants.TryRemove(hash, out _);
            }
        }
    }

    private sealed record Grant(string ClientId, DateTime? Expires, DateTimeOffset CheckedAt);
}
