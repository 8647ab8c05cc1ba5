using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Tunnel.Server.Cluster;

/// <summary>
/// Serves a request for a client that has no connection on this node: finds a live node that holds one (registry,
/// behind a short cache) and forwards the whole exchange there with YARP's <see cref="IHttpForwarder"/>, streamed
/// both ways. A node that does not answer is skipped for a node timeout and the request fails fast with 502 (or,
/// when nothing was sent yet, goes to the next node holding the client).
/// </summary>
internal sealed class ClusterRouter(
    IHttpForwarder forwarder,
    ClusterNodes nodes,
    ClusterHop hop,
    IOptions<ClusterOptions> options,
    IOptions<TunnelOptions> tunnel,
    TimeProvider time,
    IMeterFactory meterFactory,
    ILogger<ClusterRouter> logger) : IDisposable
{
    // The server's meter (Telemetry/ServerMetrics.MeterName; the factory hands out the same instance), so that
    // /metrics and OTLP carry the hops too.
    private readonly Counter<long> _hops = meterFactory.Create("Tunnel.Server").CreateCounter<long>("tunnel.cluster.hops", "{request}",
        "Requests this node forwarded to another node, by target node (tunnel.node) and outcome (tunnel.outcome: forwarded, failed).");

    /// <summary>How long a registry answer is reused; a failure through it drops it at once.</summary>
    private static readonly TimeSpan RouteCacheLifetime = TimeSpan.FromSeconds(2);

    /// <summary>Idle time between two reads or writes of a hop before it is aborted (the target has its own limits).</summary>
    private static readonly TimeSpan HopActivityTimeout = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<string, (DateTime Fetched, List<NodeRoute> Routes)> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTime> _unreachableUntil = new(StringComparer.Ordinal);

    private readonly HttpMessageInvoker _client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(2),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        EnableMultipleHttp2Connections = true,
    });

    private readonly ForwarderRequestConfig _config = new() { ActivityTimeout = HopActivityTimeout };

    /// <summary>Forwards the request to a live node holding <paramref name="clientId"/>, or answers 424/502 itself.</summary>
    public async Task ForwardAsync(HttpContext context, string clientId)
    {
        var routes = await RoutesAsync(clientId, context.RequestAborted);
        var hasBody = context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0;
        NodeRoute? failed = null;
        string? error = null;
        foreach (var route in routes)
        {
            var outcome = await forwarder.SendAsync(context, route.InternalUrl.ToString(), _client, _config, new HopTransformer(hop.Secret!, route.NodeId));
            _hops.Add(1, new KeyValuePair<string, object?>("tunnel.node", route.NodeId),
                new KeyValuePair<string, object?>("tunnel.outcome", outcome == ForwarderError.None ? "forwarded" : "failed"));
            if (outcome == ForwarderError.None)
            {
                ClusterLog.Hopped(logger, context.Request.Method, clientId, route.NodeId, "forwarded");
                if (context.Response.StatusCode >= StatusCodes.Status500InternalServerError)
                {
                    _routes.TryRemove(clientId, out _);
                }

                return;
            }

            failed = route;
            error = outcome.ToString();
            var feature = context.Features.Get<IForwarderErrorFeature>();
            ClusterLog.HopFailed(logger, context.Request.Method, clientId, route.NodeId, route.InternalUrl.ToString(), feature?.Exception?.Message ?? error);
            _routes.TryRemove(clientId, out _);
            if (CouldNotConnect(feature?.Exception))
            {
                // Dead or unreachable, though its heartbeat may still look fresh: skip it for a node timeout.
                _unreachableUntil[route.NodeId] = Now + options.Value.NodeTimeout;
            }

            // Only a request that sent nothing yet may try the next node (no body, or the node refused the connection
            // so the body was never read); anything else fails here.
            if (outcome != ForwarderError.Request || (hasBody && !IsConnectionRefused(feature?.Exception))
                || context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
            {
                break;
            }

            // YARP set 502 on the failed attempt and forwards only a response still at its initial 200.
            context.Response.StatusCode = StatusCodes.Status200OK;
        }

        if (context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
        {
            // Headers went out: YARP aborted the response, so a cut body never looks complete.
            return;
        }

        if (failed is null)
        {
            await Problem(context, StatusCodes.Status424FailedDependency, "Home server not connected",
                $"No home server is connected for client '{clientId}'.");
            return;
        }

        await Problem(context, StatusCodes.Status502BadGateway, "Tunnel node unreachable",
            $"The home server of client '{clientId}' is connected to tunnel node '{failed.NodeId}', which did not answer ({error}).");
    }

    /// <summary>The live nodes holding the client, freshest first from the cache; what was last known when the database fails.</summary>
    private async Task<List<NodeRoute>> RoutesAsync(string clientId, CancellationToken cancellationToken)
    {
        var now = Now;
        var liveSince = now - options.Value.NodeTimeout;
        if (!_routes.TryGetValue(clientId, out var cached) || now - cached.Fetched > RouteCacheLifetime)
        {
            try
            {
                var found = await nodes.FindLiveAsync(clientId, tunnel.Value.NodeId, now - options.Value.NodeTimeout, cancellationToken);
                cached = (now, found);
                _routes[clientId] = cached;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Database outage: keep routing with what this node last knew (issue 12); heartbeats cannot be
                // read now, so they do not judge the nodes either (a node that fails to answer is skipped).
                cached = _routes.TryGetValue(clientId, out var stale) ? stale : (now, []);
                liveSince = DateTime.MinValue;
            }
        }

        // A cached route expires with its node: nothing goes to a node whose heartbeat is older than the timeout.
        var usable = cached.Routes
            .Where(r => r.Heartbeat >= liveSince && (!_unreachableUntil.TryGetValue(r.NodeId, out var until) || until <= now))
            .ToList();
        // Spread a client's requests over the nodes holding it.
        return usable.Count > 1 ? [.. usable.OrderBy(_ => Random.Shared.Next())] : usable;
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>No connection to the node could be made (refused, unreachable, connect timeout).</summary>
    private static bool CouldNotConnect(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError })
            {
                return true;
            }
        }

        return IsConnectionRefused(exception);
    }

    private static bool IsConnectionRefused(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused })
            {
                return true;
            }
        }

        return false;
    }

    private static Task Problem(HttpContext context, int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(context);

    public void Dispose() => _client.Dispose();
}
