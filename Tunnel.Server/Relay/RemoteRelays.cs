using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Tunnel.Contracts.Messages;
using Tunnel.Contracts.Protocol;

namespace Tunnel.Server.Relay;

/// <summary>
/// The relays open on this node, by id, with a count per client for the cap. The hub hands the agent's relay calls
/// here; each is checked against the agent connection that owns the relay, so no agent reaches another's socket.
/// </summary>
internal sealed class RemoteRelays(ILogger<RemoteRelays> logger)
{
    private readonly ConcurrentDictionary<Guid, RemoteRelay> _relays = new();
    private readonly Dictionary<string, int> _perClient = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public int Count => _relays.Count;

    /// <summary>Adds the relay unless its client already has <paramref name="maxPerClient"/> open.</summary>
    public bool TryAdd(RemoteRelay relay, int maxPerClient)
    {
        lock (_gate)
        {
            var count = _perClient.GetValueOrDefault(relay.ClientId);
            if (count >= maxPerClient)
            {
                return false;
            }

            _perClient[relay.ClientId] = count + 1;
            _relays[relay.RelayId] = relay;
            return true;
        }
    }

    public void Remove(RemoteRelay relay)
    {
        lock (_gate)
        {
            if (!_relays.TryRemove(new KeyValuePair<Guid, RemoteRelay>(relay.RelayId, relay)))
            {
                return;
            }

            var count = _perClient[relay.ClientId] - 1;
            if (count == 0)
            {
                _perClient.Remove(relay.ClientId);
            }
            else
            {
                _perClient[relay.ClientId] = count;
            }
        }
    }

    public int CountOf(string clientId)
    {
        lock (_gate)
        {
            return _perClient.GetValueOrDefault(clientId);
        }
    }

    // The agent's calls (ITunnelHub), each on the hub's receive loop: none of them waits.

    public void Opened(string connectionId, Guid relayId, int status)
    {
        if (TryGetOwned(relayId, connectionId, nameof(Opened), out var relay))
        {
            relay.SetOpened(status);
        }
    }

    public void ToRemote(string connectionId, Guid relayId, RelayFrame frame)
    {
        if (TryGetOwned(relayId, connectionId, nameof(ToRemote), out var relay))
        {
            relay.QueueToRemote(frame);
        }
    }

    public void Grant(string connectionId, Guid relayId, int messages)
    {
        if (!TryGetOwned(relayId, connectionId, nameof(Grant), out var relay))
        {
            return;
        }

        if (messages is < 1 or > TunnelProtocol.RelayCreditWindow || relay.Credits.CurrentCount + messages > TunnelProtocol.RelayCreditWindow)
        {
            relay.TryEnd(RelayEnd.ProtocolViolation, RelayCloseStatus.InternalError);
            return;
        }

        relay.Grant(messages);
    }

    public void Closed(string connectionId, Guid relayId, int closeStatus)
    {
        if (TryGetOwned(relayId, connectionId, nameof(Closed), out var relay))
        {
            relay.LocalClosed(closeStatus is RelayCloseStatus.GoingAway or RelayCloseStatus.InternalError or RelayCloseStatus.ServiceRestart ? closeStatus : RelayCloseStatus.InternalError);
        }
    }

    private bool TryGetOwned(Guid relayId, string connectionId, string method, [NotNullWhen(true)] out RemoteRelay? relay)
    {
        if (_relays.TryGetValue(relayId, out relay) && relay.Session.ConnectionId == connectionId)
        {
            return true;
        }

        // A relay that just ended is normal (frames cross the close); one of another connection is not.
        if (relay is not null)
        {
            RelayLog.ForeignRelay(logger, connectionId, method, relayId);
        }

        relay = null;
        return false;
    }
}
