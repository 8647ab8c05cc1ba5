using System.Buffers;
using System.Runtime.CompilerServices;
using Tunnel.Contracts.Messages;
using Tunnel.Contracts.Protocol;

namespace Tunnel.Agent.Requests;

/// <summary>
/// Streams the origin's response body to the server in chunks (≤ 64 KiB), never more than the server has granted,
/// and breaks it off when the origin sends nothing for <c>Agent:OriginBodyIdleTimeout</c>: the wait for credit (a
/// slow caller) is not the origin's idleness. Cleans up the request when the stream ends, whichever way.
/// <para>
/// Every chunk borrows the one pooled read buffer (issue 13: no array per chunk). That is safe because SignalR's
/// client serializes a stream item into its pipe before it asks the stream for the next one, and the next read
/// starts only then; the end-to-end tests compare SHA-256 of whole bodies, so a change there would not go unseen.
/// </para>
/// </summary>
internal sealed class OriginBodyReader(ActiveRequests active, TimeSpan idleTimeout, ILogger logger)
{
    public async IAsyncEnumerable<BodyChunk> ReadAsync(HttpRequestMessage message, HttpResponseMessage response, ActiveRequest request,
        SmallBodyStart? start, [EnumeratorCancellation] CancellationToken streamCancelled = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(request.Cancelled, streamCancelled);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(linked.Token);
        var buffer = ArrayPool<byte>.Shared.Rent(TunnelProtocol.MaxChunkSize);
        try
        {
            var stream = start?.Stream ?? await response.Content.ReadAsStreamAsync(linked.Token);
            if (start is not null)
            {
                if (start.Filled > 0)
                {
                    await request.Credits.WaitAsync(linked.Token);
                    request.Telemetry?.BytesFromOrigin(start.Filled);
                    yield return BodyChunk.Borrow(start.Buffer.AsMemory(0, start.Filled));
                }

                var read = await AwaitPendingAsync(start.Pending, request, linked.Token);
                if (read == 0)
                {
                    yield break;
                }

                await request.Credits.WaitAsync(linked.Token);
                request.Telemetry?.BytesFromOrigin(read);
                yield return BodyChunk.Borrow(start.Buffer.AsMemory(start.Filled, read));
            }

            while (true)
            {
                // Wait for credit before reading, so that a slow caller slows the origin, not the agent's memory.
                await request.Credits.WaitAsync(linked.Token);
                var read = await ReadIdleBoundedAsync(stream, buffer, request, linked, idle);
                if (read == 0)
                {
                    yield break;
                }

                request.Telemetry?.BytesFromOrigin(read);
                yield return BodyChunk.Borrow(buffer.AsMemory(0, read));
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

    private async Task<int> ReadIdleBoundedAsync(Stream stream, byte[] buffer, ActiveRequest request,
        CancellationTokenSource linked, CancellationTokenSource idle)
    {
        // One timer for the whole body, re-armed for each read: no allocation per chunk.
        idle.CancelAfter(idleTimeout);
        try
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, TunnelProtocol.MaxChunkSize), idle.Token);
            idle.CancelAfter(Timeout.InfiniteTimeSpan);
            return read;
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested && !linked.IsCancellationRequested)
        {
            AgentLog.OriginBodyIdle(logger, request.RequestId, idleTimeout);
            throw new TimeoutException($"The music server sent nothing for {idleTimeout.TotalSeconds:0.#} s.");
        }
    }

    private async Task<int> AwaitPendingAsync(Task<int> pending, ActiveRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await pending.WaitAsync(idleTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The read goes on until the response is disposed, which aborts it.
            AgentLog.OriginBodyIdle(logger, request.RequestId, idleTimeout);
            throw;
        }
    }
}
