using System.Net.Http.Headers;
using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Tunnel.Agent.Connection;
using Tunnel.Agent.Origin;
using Tunnel.Agent.Telemetry;
using Tunnel.Contracts.Hubs;
using Tunnel.Contracts.Messages;
using Tunnel.Contracts.Protocol;

namespace Tunnel.Agent.Requests;

/// <summary>
/// Serves one forwarded request: calls the origin, answers with its head, then streams its body in chunks, never
/// more than the server has granted, and stops as soon as the server cancels.
/// </summary>
internal sealed class RequestHandler(
    ITunnelHub hub,
    OriginClient origin,
    ActiveRequests active,
    AgentMetrics metrics,
    IOptions<AgentOptions> options,
    ILogger<RequestHandler> logger)
{
    public async Task HandleAsync(ForwardRequest forward)
    {
        var request = new ActiveRequest(forward.RequestId, forward.InitialCredits) { Telemetry = metrics.Start(forward) };
        if (active.Count >= options.Value.MaxConcurrentRequests || !active.TryAdd(request))
        {
            request.Dispose();
            await TryFailAsync(forward.RequestId, ForwardFailureKind.AgentBusy, active.IsDraining
                ? "The home agent is shutting down."
                : "The home agent is at its concurrency limit.");
            return;
        }

        var handedOver = false;
        try
        {
            handedOver = await ServeAsync(forward, request);
        }
        catch (Exception ex)
        {
            AgentLog.RequestFailed(logger, forward.RequestId, ex);
            await TryFailAsync(forward.RequestId, ForwardFailureKind.AgentError, $"The home agent failed ({ex.GetType().Name}).");
        }
        finally
        {
            if (!handedOver)
            {
                active.Remove(request);
                request.Dispose();
            }
        }
    }

    /// <summary>True when the body stream took over the request (it cleans up when it ends).</summary>
    private async Task<bool> ServeAsync(ForwardRequest forward, ActiveRequest request)
    {
        var body = forward.HasBody ? new TunnelRequestContent(hub, forward.RequestId, request.Cancelled, request.Telemetry) : null;
        var message = origin.TryBuild(forward, body, out var problem);
        if (message is null)
        {
            body?.Dispose();
            await TryFailAsync(forward.RequestId, ForwardFailureKind.InvalidRequest, problem ?? "Invalid request.");
            return false;
        }

        request.Telemetry?.Propagate(message);

        HttpResponseMessage response;
        using (var headersTimeout = CancellationTokenSource.CreateLinkedTokenSource(request.Cancelled))
        {
            headersTimeout.CancelAfter(options.Value.OriginTimeout);
            try
            {
                response = await origin.SendAsync(message, headersTimeout.Token);
            }
            catch (OperationCanceledException) when (request.Cancelled.IsCancellationRequested)
            {
                message.Dispose();
                return false;
            }
            catch (OperationCanceledException)
            {
                message.Dispose();
                await TryFailAsync(forward.RequestId, ForwardFailureKind.OriginTimeout,
                    $"The music server did not answer within {options.Value.OriginTimeout.TotalSeconds:0.#} s.");
                return false;
            }
            catch (HttpRequestException ex)
            {
                message.Dispose();
                AgentLog.OriginUnreachable(logger, forward.RequestId, ex.Message);
                await TryFailAsync(forward.RequestId, ForwardFailureKind.OriginUnreachable, Describe(ex));
                return false;
            }
        }

        request.Telemetry?.HeadersReceived((int)response.StatusCode);
        var head = new ResponseHead { StatusCode = (int)response.StatusCode, Headers = ResponseHeadersOf(response) };
        if (IsSmallAndWhole(forward, response))
        {
            await RespondWholeAsync(forward, message, response, head, request);
            return false;
        }

        try
        {
            await hub.Respond(forward.RequestId, head, ReadBodyAsync(message, response, request));
            return true;
        }
        catch
        {
            response.Dispose();
            message.Dispose();
            throw;
        }
    }

    /// <summary>A body known to fit one chunk (or none at all) goes with the head in a single message.</summary>
    private static bool IsSmallAndWhole(ForwardRequest forward, HttpResponseMessage response) =>
        IsHead(forward.Method)
        || response.StatusCode is System.Net.HttpStatusCode.NoContent or System.Net.HttpStatusCode.NotModified
        || response.Content.Headers.ContentLength is <= TunnelProtocol.MaxChunkSize;

    private static bool IsHead(string method) => string.Equals(method, "HEAD", StringComparison.OrdinalIgnoreCase);

    private async Task RespondWholeAsync(ForwardRequest forward, HttpRequestMessage message, HttpResponseMessage response, ResponseHead head, ActiveRequest request)
    {
        byte[] body;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(request.Cancelled);
            timeout.CancelAfter(options.Value.OriginTimeout);
            var expected = IsHead(forward.Method) ? 0 : (int)(response.Content.Headers.ContentLength ?? 0);
            body = expected == 0 ? [] : new byte[expected];
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            if (expected > 0)
            {
                // HttpClient enforces Content-Length: a body that ends early throws here, never arrives short.
                await stream.ReadExactlyAsync(body, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            if (!request.Cancelled.IsCancellationRequested)
            {
                await TryFailAsync(forward.RequestId, ForwardFailureKind.OriginUnreachable, "The music server broke off its response.");
            }

            return;
        }
        finally
        {
            response.Dispose();
            message.Dispose();
        }

        request.Telemetry?.BytesFromOrigin(body.Length);
        await hub.RespondComplete(forward.RequestId, head, body);
    }

    private async IAsyncEnumerable<byte[]> ReadBodyAsync(HttpRequestMessage message, HttpResponseMessage response, ActiveRequest request, [EnumeratorCancellation] CancellationToken streamCancelled = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(request.Cancelled, streamCancelled);
        var buffer = ArrayPool<byte>.Shared.Rent(TunnelProtocol.MaxChunkSize);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(linked.Token);
            while (true)
            {
                // Wait for credit before reading, so that a slow caller slows the origin, not the agent's memory.
                await request.Credits.WaitAsync(linked.Token);
                var read = await stream.ReadAsync(buffer.AsMemory(0, TunnelProtocol.MaxChunkSize), linked.Token);
                if (read == 0)
                {
                    yield break;
                }

                request.Telemetry?.BytesFromOrigin(read);
                yield return buffer.AsSpan(0, read).ToArray();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            response.Dispose();
            message.Dispose();
            active.Remove(request);
            request.Dispose();
        }
    }

    private static List<HttpHeader> ResponseHeadersOf(HttpResponseMessage response)
    {
        // Fields the Connection field names are hop-by-hop too (RFC 9110 §7.6.1), whatever their names.
        var connectionListed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (response.Headers.NonValidated.TryGetValues("Connection", out var connection))
        {
            foreach (var value in connection)
            {
                connectionListed.UnionWith(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }
        }

        var headers = new List<HttpHeader>();
        foreach (var (name, values) in response.Headers.NonValidated)
        {
            Add(headers, name, values, connectionListed);
        }

        foreach (var (name, values) in response.Content.Headers.NonValidated)
        {
            Add(headers, name, values, connectionListed);
        }

        return headers;

        static void Add(List<HttpHeader> headers, string name, HeaderStringValues values, HashSet<string> connectionListed)
        {
            if (HopByHopHeaders.Contains(name) || connectionListed.Contains(name))
            {
                return;
            }

            foreach (var value in values)
            {
                headers.Add(new HttpHeader(name, value));
            }
        }
    }

    private static string Describe(HttpRequestException ex) => ex.InnerException switch
    {
        SocketException socket => $"The music server could not be reached: {socket.SocketErrorCode}.",
        IOException => "The music server closed the connection.",
        _ => $"The music server could not be reached: {ex.HttpRequestError}.",
    };

    private async Task TryFailAsync(Guid requestId, ForwardFailureKind kind, string detail)
    {
        try
        {
            await hub.Fail(requestId, new ForwardFailure(kind, detail));
        }
        catch (Exception ex)
        {
            AgentLog.RequestFailed(logger, requestId, ex);
        }
    }
}
