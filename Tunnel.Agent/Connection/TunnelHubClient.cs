using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR.Client;
using Tunnel.Contracts.Hubs;
using Tunnel.Contracts.Messages;

namespace Tunnel.Agent.Connection;

/// <summary>
/// The agent's one strongly typed way to call the hub: every <see cref="ITunnelHub"/> method maps to its SignalR
/// call here, so no method name is spelled anywhere else. The agent keeps several connections (issue 12); every
/// answer goes back on the connection its request (or relay) came in on, the only one whose node knows it.
/// </summary>
internal sealed class TunnelHubClient : ITunnelHub
{
    private readonly ConcurrentDictionary<Guid, HubConnection> _routes = new();
    private readonly ConcurrentDictionary<HubConnection, byte> _connections = new();

    /// <summary>Remembers the connection a request or relay <paramref name="requestId"/> came in on.</summary>
    public void Route(Guid requestId, HubConnection connection) => _routes[requestId] = connection;

    /// <summary>A connection of this agent (Agent:Connections), counted by <see cref="IsConnected"/>.</summary>
    public void Attach(HubConnection connection) => _connections[connection] = 0;

    /// <summary>True while any of the agent's SignalR connections is up (read by the agent's metrics).</summary>
    public bool IsConnected => _connections.Keys.Any(c => c.State == HubConnectionState.Connected);

    /// <summary>Forgets a finished request's connection.</summary>
    public void Forget(Guid requestId) => _routes.TryRemove(requestId, out _);

    /// <summary>The requests that came in on <paramref name="connection"/>, forgotten: it is gone.</summary>
    public IReadOnlyList<Guid> Drop(HubConnection connection)
    {
        var dropped = new List<Guid>();
        foreach (var (requestId, routed) in _routes)
        {
            if (ReferenceEquals(routed, connection) && _routes.TryRemove(new KeyValuePair<Guid, HubConnection>(requestId, routed)))
            {
                dropped.Add(requestId);
            }
        }

        return dropped;
    }

    private HubConnection Connection(Guid requestId) =>
        _routes.TryGetValue(requestId, out var connection)
            ? connection
            : throw new InvalidOperationException("The connection this request came in on is gone.");

    public Task Respond(Guid requestId, ResponseHead head, IAsyncEnumerable<BodyChunk> body) =>
        Connection(requestId).SendAsync(nameof(ITunnelHub.Respond), requestId, head, body);

    /// <summary>
    /// Round trip on every connected connection after everything sent before on it (see <see cref="ITunnelHub.Flush"/>).
    /// </summary>
    public Task Flush() => Task.WhenAll(_connections.Keys
        .Where(c => c.State == HubConnectionState.Connected)
        .Select(c => c.InvokeAsync(nameof(ITunnelHub.Flush))));

    public Task RespondComplete(Guid requestId, ResponseHead head, byte[] body) =>
        Connection(requestId).SendAsync(nameof(ITunnelHub.RespondComplete), requestId, head, body);

    public async Task Fail(Guid requestId, ForwardFailure failure)
    {
        await Connection(requestId).SendAsync(nameof(ITunnelHub.Fail), requestId, failure);
        Forget(requestId);
    }

    public IAsyncEnumerable<byte[]> ReadRequestBody(Guid requestId, int initialCredits, CancellationToken cancellationToken) =>
        Connection(requestId).StreamAsync<byte[]>(nameof(ITunnelHub.ReadRequestBody), requestId, initialCredits, cancellationToken);

    public Task GrantRequestBody(Guid requestId, int chunks) =>
        Connection(requestId).SendAsync(nameof(ITunnelHub.GrantRequestBody), requestId, chunks);

    public Task RelayOpened(Guid relayId, int status) =>
        Connection(relayId).SendAsync(nameof(ITunnelHub.RelayOpened), relayId, status);

    public Task RelayToRemote(Guid relayId, RelayFrame frame) =>
        Connection(relayId).SendAsync(nameof(ITunnelHub.RelayToRemote), relayId, frame);

    public Task GrantRelay(Guid relayId, int messages) =>
        Connection(relayId).SendAsync(nameof(ITunnelHub.GrantRelay), relayId, messages);

    public Task RelayClosed(Guid relayId, int closeStatus) =>
        Connection(relayId).SendAsync(nameof(ITunnelHub.RelayClosed), relayId, closeStatus);
}
