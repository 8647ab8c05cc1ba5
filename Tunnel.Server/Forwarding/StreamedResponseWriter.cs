using Tunnel.Contracts.Messages;

namespace Tunnel.Server.Forwarding;

/// <summary>
/// "Data Stream Request": headers go out at once, then each chunk as it arrives. Once the headers are out, any
/// failure aborts the connection, so a truncated body can never look complete.
/// </summary>
internal static class StreamedResponseWriter
{
    public static async Task<(ForwardingError Error, string Detail)> WriteAsync(
        PendingRequest request, AgentAnswer answer, ForwardingOptions options, ResponseWindows windows)
    {
        var context = request.HttpContext;
        var response = context.Response;
        if (!ResponseHeaders.TryApply(response, answer.Head!, keepContentLength: true))
        {
            return (ForwardingError.ProtocolViolation, "The home server sent a status or header no HTTP response can carry.");
        }

        // A whole answer needs no credit: nothing more will come.
        using var credits = answer.IsComplete ? null : new ResponseCredits(request, windows);
        await using var body = new BodyStream(request, answer.Body!, options.ResponseIdleTimeout);
        try
        {
            // Send the headers before the first chunk so that the caller sees them as soon as the origin did; a
            // whole answer goes out in one write instead.
            if (!answer.IsComplete)
            {
                await response.StartAsync(context.RequestAborted);
            }

            while (true)
            {
                var (hasChunk, error) = await body.MoveNextAsync();
                if (error != ForwardingError.None)
                {
                    return Abort(context, error, "The response body ended before it was complete.");
                }

                if (!hasChunk)
                {
                    break;
                }

                credits?.ChunkArrived(body.WaitedForCurrent);

                var chunk = body.Current;
                try
                {
                    await response.Body.WriteAsync(chunk.Memory, context.RequestAborted);
                }
                finally
                {
                    // Kestrel has copied it into its own pipe by now (or failed).
                    chunk.Return();
                }

                if (credits is not null)
                {
                    await credits.ChunkDrainedAsync();
                }
            }

            await response.CompleteAsync();
            return (ForwardingError.None, string.Empty);
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            return Abort(context, ForwardingError.ClientDisconnected, "The caller went away.");
        }
        catch (InvalidOperationException ex)
        {
            // Kestrel refuses a body longer or shorter than the Content-Length the origin announced.
            return Abort(context, ForwardingError.BodyIncomplete, ex.Message);
        }
        catch (IOException)
        {
            return Abort(context, ForwardingError.ClientDisconnected, "The caller went away.");
        }
    }

    private static (ForwardingError, string) Abort(HttpContext context, ForwardingError error, string detail)
    {
        context.Abort();
        return (error, detail);
    }
}
