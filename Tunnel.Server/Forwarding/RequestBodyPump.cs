using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;
using System.Runtime.CompilerServices;
using Tunnel.Contracts.Protocol;

namespace Tunnel.Server.Forwarding;

/// <summary>
/// Streams the caller's request body to the agent (the hub's <c>ReadRequestBody</c>), one chunk per credit the
/// agent granted.
/// </summary>
/// <remarks>
/// A body that breaks off (the caller left, or the exchange ended first) must not end the stream cleanly: the agent
/// would then finish the origin request with a truncated body that looks complete. Ending it with an error works,
/// but SignalR logs every such stream at Error. So the pump tells the agent to cancel the request and waits for it
/// to cancel its read, which SignalR treats as normal; only if the agent does not do so in time does the stream end
/// with an error.
/// </remarks>
internal static class RequestBodyPump
{
    /// <summary>How long a broken-off body waits for the agent to cancel its read before failing the stream.</summary>
    private static readonly TimeSpan AgentCancelWait = TimeSpan.FromSeconds(2);

    public static async IAsyncEnumerable<byte[]> ReadAsync(
        PendingRequest request, int initialCredits, [EnumeratorCancellation] CancellationToken agentCancelled)
    {
        if (!request.TryStartBodyPump())
        {
            yield break;
        }

        try
        {
            request.RequestBodyCredits.Release(Math.Clamp(initialCredits, 1, ForwardingOptions.MaxCreditWindow));
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(agentCancelled, request.BodyPumpStopping);
            var windows = request.HttpContext.RequestServices.GetRequiredService<ResponseWindows>();
            while (true)
            {
                var (chunk, broken) = await NextChunkAsync(request, windows, agentCancelled, stop.Token);
                if (broken)
                {
                    await AbandonAsync(request, agentCancelled);
                }

                if (chunk is null)
                {
                    yield break;
                }

                request.Agent.Traffic.SentToAgent(chunk.Length);
                request.Telemetry?.BytesToOrigin(chunk.Length);
                yield return chunk;
            }
        }
        finally
        {
            request.BodyPumpEnded();
        }
    }

    /// <summary>The next chunk; null at the clean end; Broken when the body will not be complete.</summary>
    private static async ValueTask<(byte[]? Chunk, bool Broken)> NextChunkAsync(
        PendingRequest request, ResponseWindows windows, CancellationToken agentCancelled, CancellationToken stop)
    {
        try
        {
            // The credit the agent has given ahead (this chunk's included): evidence of its upload window growing.
            windows.UploadWindowSeen(request.RequestBodyCredits.CurrentCount);
            await request.RequestBodyCredits.WaitAsync(stop);
        }
        catch (OperationCanceledException) when (!agentCancelled.IsCancellationRequested)
        {
            return (null, true);
        }

        // Stopped with CancelPendingRead, not a token: a Kestrel body read cancelled by its token stays "in
        // progress", and Kestrel then fails to drain the rest of the body after the request ends.
        var reader = request.HttpContext.Request.BodyReader;
        ReadResult result;
        try
        {
            using (stop.UnsafeRegister(static r => ((PipeReader)r!).CancelPendingRead(), reader))
            {
                result = await reader.ReadAsync(CancellationToken.None);
            }
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel refused the body: over the size limit (sent without a length, so not refused up front),
            // malformed, or cut short by a caller that left. Answer now: the agent will not.
            request.TryAnswer(ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? AgentAnswer.Failed(ForwardingError.RequestBodyTooLarge, TooLargeDetail(request.HttpContext))
                : AgentAnswer.Failed(ForwardingError.RequestBodyInvalid, ex.Message));
            return (null, true);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The caller left.
            return (null, true);
        }

        var buffer = result.Buffer;
        if (result.IsCanceled)
        {
            reader.AdvanceTo(buffer.Start);
            // The agent stopped reading: nothing to tell it, and SignalR treats its own cancellation as normal.
            agentCancelled.ThrowIfCancellationRequested();
            return (null, true);
        }

        if (buffer.IsEmpty && result.IsCompleted)
        {
            reader.AdvanceTo(buffer.End);
            return (null, false);
        }

        var taken = buffer.Slice(0, Math.Min(buffer.Length, TunnelProtocol.MaxChunkSize));
        var chunk = taken.ToArray();
        reader.AdvanceTo(taken.End);
        return (chunk, false);
    }

    private static string TooLargeDetail(HttpContext context) =>
        context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is { } limit
            ? $"Request bodies are limited to {limit} bytes (Tunnel:Forwarding:MaxRequestBodyBytes)."
            : "The request body is larger than this server accepts (Tunnel:Forwarding:MaxRequestBodyBytes).";

    private static async Task AbandonAsync(PendingRequest request, CancellationToken agentCancelled)
    {
        try
        {
            await request.Agent.Agent.Cancel(request.RequestId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The connection is going; its end stops the agent's read as well.
        }

        await Task.Delay(AgentCancelWait, agentCancelled);
        throw new IOException("The request body broke off and the agent did not stop reading it.");
    }
}
