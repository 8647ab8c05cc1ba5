using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using Tunnel.Contracts.Hubs;
using Tunnel.Contracts.Messages;
using Tunnel.Contracts.Protocol;
using Tunnel.Server.Agents;
using Tunnel.Server.Auth;
using Tunnel.Server.Cluster;

namespace Tunnel.Server.Relay;

/// <summary>
/// A remote app's <c>GET /ws</c> (without <c>sender=true</c>), in this order: clientId (400) → failed-auth limiter
/// (429) → a signature token of the client in the query or its access token in <c>Authorization</c> (401) → the
/// client's agent connected on this node (424, at once; in a cluster the upgrade crosses to the node holding it) → the agent opens the home server's socket (the home's
/// refusal, 502, 503 or 504) → only then 101, and the relay runs until either side ends it.
/// </summary>
internal sealed class RelayUpgrade(
    RequestAuthorizer authorizer,
    ConnectedAgents agents,
    RemoteRelays relays,
    ClusterHop hops,
    ClusterRouter cluster,
    IOptions<ClusterOptions> clusterOptions,
    IOptionsMonitor<RelayOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<RelayUpgrade> logger)
{
    /// <summary>The header a remote app may name its MoosicBox profile in, passed on to the home server.</summary>
    public const string ProfileHeader = "moosicbox-profile";

    public async Task HandleAsync(HttpContext context)
    {
        var (hop, hopRefusal) = hops.Inspect(context.Request);
        if (hop == HopVerdict.Refused)
        {
            await ProblemAsync(context, StatusCodes.Status403Forbidden, "Hop refused", $"Refused a node-to-node hop: {hopRefusal}.");
            return;
        }

        var clientIds = context.Request.Query[HubPaths.ClientIdParameter];
        if (clientIds.Count != 1 || !ClientIdRules.IsValid(clientIds[0]))
        {
            await ProblemAsync(context, StatusCodes.Status400BadRequest, clientIds.Count == 0 ? "Missing clientId" : "Invalid clientId",
                clientIds.Count == 0 ? "The clientId query parameter is required." : ClientIdRules.Problem(clientIds));
            return;
        }

        var clientId = clientIds[0]!;
        if (await authorizer.AuthorizeRelayAsync(context, clientId) is { } refusal)
        {
            await refusal.WriteAsync(context);
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            await ProblemAsync(context, StatusCodes.Status400BadRequest, "WebSocket upgrade required",
                "/ws without sender=true is the live-updates WebSocket of remote apps; home servers add sender=true.");
            return;
        }

        if (!agents.TryGet(clientId, out var session) && clusterOptions.Value.Enabled)
        {
            // Issue 12: the agent is on another node; the upgrade and then the socket cross to it (YARP), once.
            if (hop == HopVerdict.Hop)
            {
                await ProblemAsync(context, StatusCodes.Status502BadGateway, "Home server not connected to this node",
                    $"The home server of client '{clientId}' is no longer connected to this tunnel node; a request crosses at most {ClusterHop.MaxHops} node.");
                return;
            }

            await cluster.ForwardAsync(context, clientId);
            return;
        }

        if (session is null)
        {
            var notConnected = $"No home server is connected for client '{clientId}'.";
            RelayLog.Refused(logger, Guid.Empty, clientId, StatusCodes.Status424FailedDependency, notConnected);
            await ProblemAsync(context, StatusCodes.Status424FailedDependency, "Home server not connected", notConnected);
            return;
        }

        var o = options.CurrentValue;
        var relay = new RemoteRelay(clientId, session, o.RemoteQueueBytes);
        if (!relays.TryAdd(relay, o.MaxRelaysPerClient))
        {
            var tooMany = $"Client '{clientId}' already has {o.MaxRelaysPerClient} relayed WebSockets open (Tunnel:Relay:MaxRelaysPerClient).";
            RelayLog.Refused(logger, relay.RelayId, clientId, StatusCodes.Status503ServiceUnavailable, tooMany);
            context.Response.Headers.RetryAfter = "5";
            await ProblemAsync(context, StatusCodes.Status503ServiceUnavailable, "Too many live-update sockets", tooMany);
            return;
        }

        try
        {
            await RelayAsync(context, relay, o);
        }
        finally
        {
            relays.Remove(relay);
        }
    }

    private async Task RelayAsync(HttpContext context, RemoteRelay relay, RelayOptions o)
    {
        var (status, detail) = await OpenAsync(context, relay, o);
        if (status != StatusCodes.Status101SwitchingProtocols)
        {
            RelayLog.Refused(logger, relay.RelayId, relay.ClientId, status, detail);
            if (!context.RequestAborted.IsCancellationRequested)
            {
                await ProblemAsync(context, status, status == StatusCodes.Status504GatewayTimeout ? "Home server did not answer"
                    : status is >= 400 and < 500 ? "Home server refused the WebSocket" : "Home server unavailable", detail);
            }

            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = o.KeepAliveInterval,
            KeepAliveTimeout = o.KeepAliveTimeout,
        });
        RelayLog.Opened(logger, relay.RelayId, relay.ClientId, relay.Session.ConnectionId);
        using (relay.Session.Disconnected.Register(() => relay.TryEnd(RelayEnd.AgentGone, RelayCloseStatus.ServiceRestart)))
        using (lifetime.ApplicationStopping.Register(() => relay.TryEnd(RelayEnd.ServerStopping, RelayCloseStatus.GoingAway)))
        {
            await new RemoteRelayPump(relay, socket, logger).RunAsync();
        }

        RelayLog.Closed(logger, relay.RelayId, relay.ClientId, relay.End, relay.CloseStatus, relay.BytesToHome, relay.BytesToRemote);
    }

    /// <summary>Asks the agent to open the home server's socket; 101 or the status to answer instead.</summary>
    private async Task<(int Status, string Detail)> OpenAsync(HttpContext context, RemoteRelay relay, RelayOptions o)
    {
        var session = relay.Session;
        var open = new RelayOpen
        {
            RelayId = relay.RelayId,
            Query = RelayQuery.WithoutCredentials(context.Request.QueryString),
            Profile = context.Request.Headers[ProfileHeader] is { Count: 1 } profile ? profile[0] : null,
        };
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, session.Disconnected);
        try
        {
            await session.Agent.OpenRelay(open);
            var status = await relay.Opened.WaitAsync(o.OpenTimeout, waiting.Token);
            return status switch
            {
                StatusCodes.Status101SwitchingProtocols => (status, string.Empty),
                >= 400 and <= 599 => (status, $"The home server's /ws answered {status}."),
                _ => (StatusCodes.Status502BadGateway, "The home server's /ws did not accept the WebSocket."),
            };
        }
        catch (TimeoutException)
        {
            TellAgentToClose(relay);
            return (StatusCodes.Status504GatewayTimeout, $"The home server's /ws did not answer within {o.OpenTimeout.TotalSeconds:0.#} s.");
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            TellAgentToClose(relay);
            return (StatusCodes.Status499ClientClosedRequest, "The remote app went away.");
        }
        catch (Exception) when (session.Disconnected.IsCancellationRequested)
        {
            return (StatusCodes.Status502BadGateway, "The home server disconnected before it answered.");
        }
        catch (Exception ex)
        {
            // The agent's connection failed while the open was being sent.
            return (StatusCodes.Status502BadGateway, $"The home server's agent could not be reached ({ex.GetType().Name}).");
        }
    }

    private void TellAgentToClose(RemoteRelay relay) =>
        _ = RemoteRelayPump.TellAgentToCloseAsync(relay, RelayCloseStatus.GoingAway, logger);

    private static Task ProblemAsync(HttpContext context, int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(context);
}
