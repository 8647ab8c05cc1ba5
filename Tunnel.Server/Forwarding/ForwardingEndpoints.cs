using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Tunnel.Server.Agents;
using Tunnel.Server.Auth;
using Tunnel.Server.Cluster;
using Tunnel.Server.Registry;

namespace Tunnel.Server.Forwarding;

internal static class ForwardingEndpoints
{
    /// <summary>Every other path and method: forwarded to the clientId's home server.</summary>
    public static IEndpointRouteBuilder MapForwarding(this IEndpointRouteBuilder app)
    {
        app.MapMagicTokenUse();

        // Literal routes (/health, /auth/..., /ws) win over this catch-all.
        app.Map("/{**path}", ForwardAsync);
        return app;
    }

    private static async Task ForwardAsync(
        HttpContext context,
        RequestAuthorizer authorizer,
        ConnectedAgents agents,
        AgentRegistry registry,
        RequestForwarder forwarder,
        ServerMetrics metrics,
        IOptionsMonitor<ForwardingOptions> options,
        IOptions<TunnelOptions> tunnel,
        ClusterHop hops,
        ClusterRouter cluster,
        IOptions<ClusterOptions> clusterOptions,
        ILogger<ClusterRouter> logger)
    {
        var request = context.Request;
        var (hop, hopRefusal) = hops.Inspect(request);
        if (hop == HopVerdict.Refused)
        {
            ClusterLog.HopRefused(logger, context.Connection.RemoteIpAddress?.ToString(), hopRefusal!);
            await Problem(context, StatusCodes.Status403Forbidden, "Hop refused", $"Refused a node-to-node hop: {hopRefusal}.");
            return;
        }
        var clientIds = request.Query["clientId"];
        if (clientIds.Count == 0 || string.IsNullOrEmpty(clientIds[0]))
        {
            await Problem(context, StatusCodes.Status400BadRequest, "Missing clientId", "The clientId query parameter is required.");
            return;
        }

        var clientId = clientIds[0]!;
        if (clientIds.Count > 1 || !ClientIdRules.IsValid(clientId))
        {
            await Problem(context, StatusCodes.Status400BadRequest, "Invalid clientId", ClientIdRules.Problem(clientIds));
            return;
        }

        var target = RequestTarget.Of(context);
        if (await authorizer.AuthorizeForwardAsync(context, clientId, target) is { } refusal)
        {
            await refusal.WriteAsync(context);
            return;
        }

        if (!TryReadMode(request, out var mode))
        {
            await Problem(context, StatusCodes.Status400BadRequest, "Invalid X-Tunnel-Response",
                "X-Tunnel-Response must be 'streamed' or 'buffered'.");
            return;
        }

        var limit = options.CurrentValue.MaxRequestBodyBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limit;
        }

        if (request.ContentLength > limit)
        {
            await Problem(context, StatusCodes.Status413PayloadTooLarge, "Request body too large",
                $"Request bodies are limited to {limit} bytes (Tunnel:Forwarding:MaxRequestBodyBytes).");
            return;
        }

        if (!agents.TryGet(clientId, out var agent) && clusterOptions.Value.Enabled)
        {
            if (hop == HopVerdict.Hop)
            {
                // One hop at most: the node that sent it found this one in the registry, but the agent has gone.
                await Problem(context, StatusCodes.Status502BadGateway, "Home server not connected to this node",
                    $"The home server of client '{clientId}' is no longer connected to tunnel node '{tunnel.Value.NodeId}'; a request crosses at most {ClusterHop.MaxHops} node.");
                return;
            }

            await cluster.ForwardAsync(context, clientId);
            return;
        }

        if (agent is null)
        {
            metrics.RecordNotConnected();
            await Problem(context, StatusCodes.Status424FailedDependency, "Home server not connected",
                await NotConnectedDetailAsync(registry, clientId, tunnel.Value.NodeId, context.RequestAborted));
            return;
        }

        await forwarder.ForwardAsync(context, agent, mode, target);
    }

    private static bool TryReadMode(HttpRequest request, out ResponseMode mode)
    {
        var value = request.Headers[HeaderFilter.ResponseModeHeader].ToString();
        mode = ResponseMode.Streamed;
        if (value.Length == 0 || value.Equals("streamed", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (value.Equals("buffered", StringComparison.OrdinalIgnoreCase))
        {
            mode = ResponseMode.Buffered;
            return true;
        }

        return false;
    }

    /// <summary>How long the 424 answer waits for the registry to say where the client's agent is.</summary>
    private static readonly TimeSpan NotConnectedLookupWait = TimeSpan.FromMilliseconds(50);

    /// <summary>A lookup still running after that runs on unawaited, and is cancelled only after this.</summary>
    private static readonly TimeSpan NotConnectedLookupLimit = TimeSpan.FromSeconds(5);

    private static async Task<string> NotConnectedDetailAsync(AgentRegistry registry, string clientId, string nodeId, CancellationToken cancellationToken)
    {
        try
        {
            // The answer must not wait on the database, but the lookup is not cancelled after the short wait: EF Core
            // logs a cancelled query as an Error, and a busy but healthy database is no error.
            var row = await FindQuietlyAsync(registry, clientId).WaitAsync(NotConnectedLookupWait, cancellationToken);
            if (row is not null && row.NodeId != nodeId)
            {
                return $"The home server of client '{clientId}' is connected to another tunnel node ({row.NodeId}), which this node cannot reach.";
            }
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            // The answer is the same without the database; it only adds detail.
        }

        return $"No home server is connected for client '{clientId}'.";
    }

    private static async Task<AgentConnection?> FindQuietlyAsync(AgentRegistry registry, string clientId)
    {
        using var limit = new CancellationTokenSource(NotConnectedLookupLimit);
        try
        {
            return await registry.FindAsync(clientId, limit.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or System.Data.Common.DbException or InvalidOperationException)
        {
            return null;
        }
    }

    private static Task Problem(HttpContext context, int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(context);
}
