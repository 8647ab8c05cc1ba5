using System.Collections.Concurrent;

namespace Tunnel.Server.Hubs;

/// <summary>
/// Remembers which clients were told, and when, that their home server still runs MoosicBox's own tunnel sender
/// (<c>WS_HOST</c> set), so that the warning is logged once per client per <see cref="Interval"/> and not on every
/// retry (the sender retries every 5 s forever). The clientIds come from unauthenticated requests, so at most
/// <see cref="MaxClients"/> are remembered; past that, expired entries are dropped and new ones not logged.
/// </summary>
internal sealed class LegacySenderNotices(TimeProvider time)
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    public const int MaxClients = 10_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastNotice = new(StringComparer.Ordinal);

    /// <summary>True when the operator of <paramref name="clientId"/> should be told now.</summary>
    public bool ShouldNotify(string clientId)
    {
        var now = time.GetUtcNow();
        if (_lastNotice.TryGetValue(clientId, out var last) && now - last < Interval)
        {
            return false;
        }

        if (_lastNotice.Count >= MaxClients && !_lastNotice.ContainsKey(clientId))
        {
            foreach (var (key, at) in _lastNotice)
            {
                if (now - at >= Interval)
                {
                    _lastNotice.TryRemove(key, out _);
                }
            }

            if (_lastNotice.Count >= MaxClients)
            {
                return false;
            }
        }

        // Of two concurrent attempts only the one that replaces the old value (or adds the first) says so.
        return last == default ? _lastNotice.TryAdd(clientId, now) : _lastNotice.TryUpdate(clientId, now, last);
    }
}
