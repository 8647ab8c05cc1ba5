using Tunnel.Agent.Relay;
using Tunnel.Contracts.Hubs;
using Tunnel.Contracts.Messages;

namespace Tunnel.Agent.Requests;

/// <summary>
/// What the server can tell the agent (<see cref="ITunnelAgent"/>). Each method returns at once: SignalR runs
/// handlers on the connection's receive loop, so a slow handler would stall every other message.
/// </summary>
internal sealed class AgentCommands(RequestHandler handler, ActiveRequests active, LocalRelays relays) : ITunnelAgent
{
    private readonly TaskCompletionSource<string> _displaced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the server's reason when another agent took over this client.</summary>
    public Task<string> DisplacedReason => _displaced.Task;

    public Task Forward(ForwardRequest request)
    {
        _ = Task.Run(() => handler.HandleAsync(request));
        return Task.CompletedTask;
    }

    public Task Grant(Guid requestId, int chunks)
    {
        active.Grant(requestId, chunks);
        return Task.CompletedTask;
    }

    public Task Cancel(Guid requestId)
    {
        active.Cancel(requestId);
        return Task.CompletedTask;
    }

    public Task Displaced(string reason)
    {
        _displaced.TrySetResult(reason);
        return Task.CompletedTask;
    }

    public Task OpenRelay(RelayOpen open)
    {
        relays.Open(open);
        return Task.CompletedTask;
    }

    public Task RelayToHome(Guid relayId, RelayFrame frame)
    {
        relays.ToHome(relayId, frame);
        return Task.CompletedTask;
    }

    public Task CloseRelay(Guid relayId, int closeStatus)
    {
        relays.Close(relayId, closeStatus);
        return Task.CompletedTask;
    }
}
