using System.Collections.Concurrent;
using Tunnel.Contracts.Hubs;
using Tunnel.Contracts.Messages;

namespace Tunnel.Agent.Relay;

/// <summary>
/// The agent's relays by id (issue 11). The server's relay commands arrive here on the connection's receive loop,
/// so none of them waits: opening runs on its own task, frames go into the relay's bounded queue.
/// </summary>
internal sealed class LocalRelays(ITunnelHub hub, AgentSettings settings, ILogger<LocalRelay> logger)
{
    private readonly ConcurrentDictionary<Guid, LocalRelay> _relays = new();
    private volatile bool _draining;

    public int Count => _relays.Count;

    /// <summary>Raised when a relay is over, so that the connection it came in on can be forgotten (issue 12).</summary>
    public event Action<Guid>? Ended;

    public void Open(RelayOpen open)
    {
        if (_draining)
        {
            _ = RefuseAsync(open.RelayId);
            return;
        }

        var relay = new LocalRelay(open.RelayId, hub, logger);
        if (!_relays.TryAdd(open.RelayId, relay))
        {
            return;
        }

        var o = settings.Current;
        _ = Task.Run(async () =>
        {
            try
            {
                await relay.RunAsync(open, o.OriginUrl!, o.OriginUserAgent, o.OriginTimeout);
            }
            finally
            {
                _relays.TryRemove(new KeyValuePair<Guid, LocalRelay>(open.RelayId, relay));
                Ended?.Invoke(open.RelayId);
            }
        });
    }

    public void ToHome(Guid relayId, RelayFrame frame)
    {
        if (_relays.TryGetValue(relayId, out var relay))
        {
            relay.ToHome(frame);
        }
    }

    public void Close(Guid relayId, int closeStatus)
    {
        if (_relays.TryGetValue(relayId, out var relay))
        {
            relay.CloseFromServer(closeStatus);
        }
    }

    /// <summary>A connection to the server is gone (or reconnecting): every relay it carried is over.</summary>
    public void ConnectionLost(IEnumerable<Guid> carried)
    {
        foreach (var relayId in carried)
        {
            if (_relays.TryGetValue(relayId, out var relay))
            {
                relay.ConnectionLost();
            }
        }
    }

    /// <summary>The agent stops: new relays are refused and every open one ends, so that apps reconnect.</summary>
    public void Drain()
    {
        _draining = true;
        foreach (var relay in _relays.Values)
        {
            relay.Drain();
        }
    }

    /// <summary>The agent serves again after a drain that was not a stop (new settings, enabled again).</summary>
    public void Resume() => _draining = false;

    private async Task RefuseAsync(Guid relayId)
    {
        try
        {
            await hub.RelayOpened(relayId, 503);
        }
        catch (Exception ex)
        {
            RelayLog.NotifyFailed(logger, relayId, ex);
        }
    }
}
