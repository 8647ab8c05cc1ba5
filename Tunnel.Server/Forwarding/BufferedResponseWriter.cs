using Tunnel.Contracts.Messages;

namespace Tunnel.Server.Forwarding;

/// <summary>
/// "Data Blocking Request": the whole body is collected (the chunks the hub received are kept, not copied, and
/// given back to their pool once sent), then sent with Content-Length. Nothing is sent unless the agent finished cleanly.
/// </summary>
internal static class BufferedResponseWriter
{
    public static async Task<(ForwardingError Error, string Detail)> WriteAsync(
        PendingRequest request, AgentAnswer answer, ForwardingOptions options, BufferBudget budget, ResponseWindows windows)
    {
        long total = 0;
        var chunks = new List<BodyChunk>();
        try
        {
            return await CollectAndSendAsync(request, answer, options, budget, windows, chunks, held => total = held);
        }
        finally
        {
            foreach (var chunk in chunks)
            {
                chunk.Return();
            }

            budget.Release(total);
        }
    }

    private static async Task<(ForwardingError Error, string Detail)> CollectAndSendAsync(PendingRequest request, AgentAnswer answer,
        ForwardingOptions options, BufferBudget budget, ResponseWindows windows, List<BodyChunk> chunks, Action<long> held)
    {
        var context = request.HttpContext;
        long total = 0;
        // A whole answer needs no credit: nothing more will come.
        using var credits = answer.IsComplete ? null : new ResponseCredits(request, windows);
        await using (var body = new BodyStream(request, answer.Body!, options.ResponseIdleTimeout))
        {
            while (true)
            {
                var (hasChunk, error) = await body.MoveNextAsync();
                if (error != ForwardingError.None)
                {
                    return (error, "The response body ended before it was complete.");
                }

                if (!hasChunk)
                {
                    break;
                }

                credits?.ChunkArrived(body.WaitedForCurrent);
                // Held from here on, so that it goes back to the pool however this ends.
                chunks.Add(body.Current);

                if (total + body.Current.Length > options.BufferedResponseMaxBytes)
                {
                    return (ForwardingError.BufferLimitExceeded,
                        $"The response is larger than the buffered-mode limit of {options.BufferedResponseMaxBytes} bytes (Tunnel:Forwarding:BufferedResponseMaxBytes); request it streamed instead.");
                }

                if (!budget.TryReserve(body.Current.Length))
                {
                    return (ForwardingError.BufferBudgetExhausted,
                        $"This node already holds {options.BufferedTotalMaxBytes} bytes of buffered responses (Tunnel:Forwarding:BufferedTotalMaxBytes); retry shortly or request it streamed.");
                }

                total += body.Current.Length;
                held(total);
                if (credits is not null)
                {
                    await credits.ChunkDrainedAsync();
                }
            }
        }

        var response = context.Response;
        var isHead = HttpMethods.IsHead(context.Request.Method);
        // A HEAD or 304 answer has no body to count: keep the length the origin announced (RFC 9110 §8.6).
        var bodiless = isHead || answer.Head!.StatusCode == StatusCodes.Status304NotModified;
        if (!ResponseHeaders.TryApply(response, answer.Head!, keepContentLength: bodiless))
        {
            return (ForwardingError.ProtocolViolation, "The home server sent a status or header no HTTP response can carry.");
        }

        if (!bodiless && (total > 0 || AllowsBody(response.StatusCode)))
        {
            response.ContentLength = total;
        }

        try
        {
            foreach (var chunk in chunks)
            {
                await response.Body.WriteAsync(chunk.Memory, context.RequestAborted);
            }

            await response.CompleteAsync();
            return (ForwardingError.None, string.Empty);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            context.Abort();
            return (ForwardingError.ClientDisconnected, "The caller went away.");
        }
    }

    private static bool AllowsBody(int status) => status >= 200 && status != 204 && status != 304;
}
