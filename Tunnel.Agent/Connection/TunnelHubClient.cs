using Microsoft.AspNetCore.SignalR.Client;
using Tunnel.Contracts.Hubs;
using Tunnel.Contracts.Messages;

namespace Tunnel.Agent.Connection;

/// <summary>
/// The agent's one strongly typed way to call the hub: every <see cref="ITunnelHub"/> method maps to its SignalR
/// call here, so no method name is spelled anywhere else.
/// </summary>
internal sealed class TunnelHubClient : ITunnelHub
{
    private HubConnection? _connection;

    public void Attach(HubConnection connection) => _connection = connection;

    /// <summary>True while the SignalR connection is up (read by the agent's metrics).</summary>
    public bool IsConnected => _connection?.State == HubConnectionState.Connected;

    private HubConnection Connection => _connection ?? throw new InvalidOperationException("The agent is not connected.");

    public Task Respond(Guid requestId, ResponseHead head, IAsyncEnumerable<byte[]> body) =>
        Connection.SendAsync(nameof(ITunnelHub.Respond), requestId, head, body);

    /// <summary>Round trip to the server after everything sent before (see <see cref="ITunnelHub.Flush"/>).</summary>
    public Task Flush() => Connection.InvokeAsync(nameof(ITunnelHub.Flush));

    public Task RespondComplete(Guid requestId, ResponseHead head, byte[] body) =>
        Connection.SendAsync(nameof(ITunnelHub.RespondComplete), requestId, head, body);

    public Task Fail(Guid requestId, ForwardFailure failure) =>
        Connection.SendAsync(nameof(ITunnelHub.Fail), requestId, failure);

    public IAsyncEnumerable<byte[]> ReadRequestBody(Guid requestId, int initialCredits, CancellationToken cancellationToken) =>
        Connection.StreamAsync<byte[]>(nameof(ITunnelHub.ReadRequestBody), requestId, initialCredits, cancellationToken);

    public Task GrantRequestBody(Guid requestId, int chunks) =>
        Connection.SendAsync(nameof(ITunnelHub.GrantRequestBody), requestId, chunks);

    public Task RelayOpened(Guid relayId, int status) =>
        Connection.SendAsync(nameof(ITunnelHub.RelayOpened), relayId, status);

    public Task RelayToRemote(Guid relayId, RelayFrame frame) =>
        Connection.SendAsync(nameof(ITunnelHub.RelayToRemote), relayId, frame);

    public Task GrantRelay(Guid relayId, int messages) =>
        Connection.SendAsync(nameof(ITunnelHub.GrantRelay), relayId, messages);

    public Task RelayClosed(Guid relayId, int closeStatus) =>
        Connection.SendAsync(nameof(ITunnelHub.RelayClosed), relayId, closeStatus);
}
