using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Tunnel.Contracts.Hubs;
using Tunnel.Contracts.Messages;
using Tunnel.Contracts.Protocol;
using Tunnel.Server.Agents;
using Tunnel.Server.Forwarding;
using Tunnel.Server.Registry;
using Tunnel.Server.Relay;

namespace Tunnel.Server.Hubs;

/// <summary>
/// Where agents connect. On connect the agent becomes its client's route (in the registry and on this node); its
/// answers to forwarded requests come back through the methods below, each checked against the requests that were
/// sent to this very connection.
/// </summary>
[Authorize(AuthenticationSchemes = AgentAuthenticationHandler.SchemeName)]
internal sealed class TunnelHub(
    ConnectedAgents agents,
    AgentRegistry registry,
    PendingRequests pending,
    RemoteRelays relays,
    IOptions<TunnelOptions> options,
    ILogger<TunnelHub> logger) : Hub<ITunnelAgent>, ITunnelHub
{
    private const string SessionKey = "tunnel:session";

    public override async Task OnConnectedAsync()
    {
        var clientId = Context.User?.FindFirst(AgentAuthenticationHandler.ClientIdClaim)?.Value
            ?? throw new HubException("Not authenticated.");

        var session = new AgentSession(clientId, Context.ConnectionId, Clients.Caller, Context, AgentInstanceOf(Context));
        try
        {
            // Other nodes drop their connections of an older instance when they find their rows gone.
            await registry.UpsertAsync(clientId, Context.ConnectionId, options.Value.NodeId, Context.ConnectionAborted, session.AgentInstance);
            session.Persisted = true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Database outage (issue 12): the agent is served by this node now; its row is written when the database
            // is back (Cluster/ClusterHeartbeatService).
            RegistryLog.RegistryWriteFailed(logger, clientId, ex);
        }

        Context.Items[SessionKey] = session;
        HubLog.AgentConnected(logger, clientId, Context.ConnectionId);

        // Newest wins: a second agent with a valid token replaces the first, which is told why and dropped.
        foreach (var displaced in agents.Register(session))
        {
            HubLog.AgentDisplaced(logger, displaced.ClientId, displaced.ConnectionId, Context.ConnectionId);
            await displaced.DisplaceAsync();
        }
    }

    private static string? AgentInstanceOf(HubCallerContext context)
    {
        var value = context.GetHttpContext()?.Request.Query[HubPaths.InstanceParameter].ToString();
        return value is { Length: > 0 and <= 128 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') ? value : null;
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items[SessionKey] is not AgentSession session)
        {
            return;
        }

        agents.Remove(session);
        HubLog.AgentDisconnected(logger, session.ClientId, session.ConnectionId, exception?.Message ?? "the connection was closed without an error.");
        try
        {
            // Guarded: if the client already reconnected, its new row stays.
            await registry.RemoveAsync(session.ClientId, session.ConnectionId, CancellationToken.None);
        }
        catch (Exception ex)
        {
            RegistryLog.RegistryWriteFailed(logger, session.ClientId, ex);
        }
    }

    public async Task Respond(Guid requestId, ResponseHead head, IAsyncEnumerable<BodyChunk> body)
    {
        if (!pending.TryGetOwned(requestId, Context.ConnectionId, out var request))
        {
            ForwardingLog.ForeignRequest(logger, Context.ConnectionId, requestId);
            return;
        }

        if (request.TryAnswer(AgentAnswer.Response(head, body)))
        {
            // The body stream lives only as long as this call: hold it open until the HTTP side is done with it.
            await request.Finished;
        }
    }

    public Task RespondComplete(Guid requestId, ResponseHead head, byte[] body)
    {
        if (!pending.TryGetOwned(requestId, Context.ConnectionId, out var request))
        {
            ForwardingLog.ForeignRequest(logger, Context.ConnectionId, requestId);
            return Task.CompletedTask;
        }

        request.TryAnswer(body.Length <= TunnelProtocol.MaxChunkSize
            ? AgentAnswer.Whole(head, body)
            : AgentAnswer.Failed(ForwardingError.ProtocolViolation, "The home server sent an oversized whole response."));
        return Task.CompletedTask;
    }

    public Task Fail(Guid requestId, ForwardFailure failure)
    {
        if (!pending.TryGetOwned(requestId, Context.ConnectionId, out var request))
        {
            ForwardingLog.ForeignRequest(logger, Context.ConnectionId, requestId);
            return Task.CompletedTask;
        }

        ForwardingLog.AgentFailed(logger, requestId, failure.Kind);
        request.TryAnswer(AgentAnswer.Failed(ForwardingProblems.FromFailure(failure.Kind), failure.Detail));
        return Task.CompletedTask;
    }

    public IAsyncEnumerable<byte[]> ReadRequestBody(Guid requestId, int initialCredits, CancellationToken cancellationToken)
    {
        if (!pending.TryGetOwned(requestId, Context.ConnectionId, out var request))
        {
            ForwardingLog.ForeignRequest(logger, Context.ConnectionId, requestId);
            return AsyncEnumerable.Empty<byte[]>();
        }

        return RequestBodyPump.ReadAsync(request, initialCredits, cancellationToken);
    }

    public Task GrantRequestBody(Guid requestId, int chunks)
    {
        if (pending.TryGetOwned(requestId, Context.ConnectionId, out var request) && chunks is > 0 and <= ForwardingOptions.MaxCreditWindow)
        {
            request.RequestBodyCredits.Release(chunks);
        }

        return Task.CompletedTask;
    }

    // Remote apps' WebSockets (issue 11): handed to the Relay feature, checked against this connection there.
    public Task RelayOpened(Guid relayId, int status)
    {
        relays.Opened(Context.ConnectionId, relayId, status);
        return Task.CompletedTask;
    }

    public Task RelayToRemote(Guid relayId, RelayFrame frame)
    {
        relays.ToRemote(Context.ConnectionId, relayId, frame);
        return Task.CompletedTask;
    }

    public Task GrantRelay(Guid relayId, int messages)
    {
        relays.Grant(Context.ConnectionId, relayId, messages);
        return Task.CompletedTask;
    }

    public Task RelayClosed(Guid relayId, int closeStatus)
    {
        relays.Closed(Context.ConnectionId, relayId, closeStatus);
        return Task.CompletedTask;
    }

    /// <summary>A barrier for a draining agent (see <see cref="ITunnelHub.Flush"/>): by the time it runs, every earlier message was handled.</summary>
    public Task Flush() => Task.CompletedTask;
}
