using System.Net.Sockets;
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
    UploadWindows uploadWindows,
    ActiveRequests active,
    AgentMetrics metrics,
    AgentSettings settings,
    ILogger<RequestHandler> logger)
{
    public async Task HandleAsync(ForwardRequest forward)
    {
        var request = new ActiveRequest(forward.RequestId, forward.InitialCredits) { Telemetry = metrics.Start(forward) };
        if (active.Count >= settings.Current.MaxConcurrentRequests || !active.TryAdd(request))
        {
            request.Dispose();
            await TryFailAsync(forward.RequestId, ForwardFailureKind.AgentBusy, active.IsDraining
                ? "The home agent is draining (stopping, or changing its settings)."
                : "The home agent is at its concurrency limit.");
            return;
        }

        var handedOver = false;
        try
        {
            handedOver = await ServeAsync(forward, request, settings.Current);
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
    private async Task<bool> ServeAsync(ForwardRequest forward, ActiveRequest request, AgentOptions options)
    {
        if (forward.Headers.Any(h => !HeaderValues.IsValid(h.Value)))
        {
            await TryFailAsync(forward.RequestId, ForwardFailureKind.InvalidRequest, "A header value holds CR, LF, NUL or a non-byte character.");
            return false;
        }

        var body = forward.HasBody ? new TunnelRequestContent(hub, forward.RequestId, uploadWindows, request.Cancelled, request.Telemetry) : null;
        var message = origin.TryBuild(forward, body, out var problem);
        if (message is null)
        {
            body?.Dispose();
            await TryFailAsync(forward.RequestId, ForwardFailureKind.InvalidRequest, problem ?? "Invalid request.");
            return false;
        }

        ForwardedHeaders.Apply(message, forward);
        request.Telemetry?.Propagate(message);

        HttpResponseMessage response;
        using (var headersTimeout = CancellationTokenSource.CreateLinkedTokenSource(request.Cancelled))
        {
            headersTimeout.CancelAfter(options.OriginTimeout);
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
                    $"The music server did not answer within {options.OriginTimeout.TotalSeconds:0.#} s.");
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
        var head = OriginResponseHead.TryCreate(response, forward, options.ClientId!, out var bodyLength, out problem);
        if (head is null)
        {
            response.Dispose();
            message.Dispose();
            AgentLog.OriginInvalidResponse(logger, forward.RequestId, problem!);
            await TryFailAsync(forward.RequestId, ForwardFailureKind.OriginInvalidResponse, problem!);
            return false;
        }

        if (bodyLength == 0)
        {
            // HEAD, 204, 304 or an empty body: nothing to wait for, whatever Content-Length says.
            response.Dispose();
            message.Dispose();
            await hub.RespondComplete(forward.RequestId, head, []);
            return false;
        }

        var reader = new OriginBodyReader(active, options.OriginBodyIdleTimeout, logger);
        try
        {
            SmallBodyStart? start = null;
            if (bodyLength <= TunnelProtocol.MaxChunkSize)
            {
                var (whole, started) = await ReadSmallBodyAsync(response, (int)bodyLength.Value, request);
                if (whole is not null)
                {
                    response.Dispose();
                    message.Dispose();
                    request.Telemetry?.BytesFromOrigin(whole.Length);
                    await hub.RespondComplete(forward.RequestId, head, whole);
                    return false;
                }

                start = started;
            }

            await hub.Respond(forward.RequestId, head, reader.ReadAsync(message, response, request, start));
            return true;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !request.Cancelled.IsCancellationRequested)
        {
            // HttpClient enforces Content-Length: a small body that ends early throws, never arrives short.
            response.Dispose();
            message.Dispose();
            await TryFailAsync(forward.RequestId, ForwardFailureKind.OriginUnreachable, "The music server broke off its response.");
            return false;
        }
        catch (OperationCanceledException) when (request.Cancelled.IsCancellationRequested)
        {
            response.Dispose();
            message.Dispose();
            return false;
        }
        catch
        {
            response.Dispose();
            message.Dispose();
            throw;
        }
    }

    /// <summary>How long a small body may take to be all there before the head goes ahead of it.</summary>
    private static readonly TimeSpan WholeBodyWait = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// A body known to fit one chunk goes with the head in one message, but only when it is all there at once: a body
    /// that trickles in must not hold back the head (issue 10). Returns the whole body, or where the reading stands.
    /// </summary>
    private static async Task<(byte[]? Whole, SmallBodyStart? Start)> ReadSmallBodyAsync(HttpResponseMessage response, int length, ActiveRequest request)
    {
        var body = new byte[length];
        var filled = 0;
        var stream = await response.Content.ReadAsStreamAsync(request.Cancelled);
        Task? deadline = null;
        while (filled < length)
        {
            var read = stream.ReadAsync(body.AsMemory(filled), request.Cancelled).AsTask();
            if (!read.IsCompleted)
            {
                deadline ??= Task.Delay(WholeBodyWait, request.Cancelled);
                if (await Task.WhenAny(read, deadline) != read)
                {
                    return (null, new SmallBodyStart(stream, body, filled, read));
                }
            }

            var n = await read;
            if (n == 0)
            {
                throw new IOException("The response body ended before its Content-Length.");
            }

            filled += n;
        }

        return (body, null);
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
