using System.Net;
using Tunnel.Agent.Telemetry;
using Tunnel.Contracts.Hubs;
using Tunnel.Contracts.Protocol;

namespace Tunnel.Agent.Origin;

/// <summary>
/// The caller's request body, pulled from the server chunk by chunk as the origin reads it. The agent grants the
/// server credit back as chunks are written to the origin, half a window at a time, so neither side ever holds
/// more than the window; the window starts at <see cref="UploadWindows.InitialChunks"/> and grows with the link's
/// bandwidth-delay product while credit holds the server back (the agent waited for chunks and the origin took them
/// fast), within <see cref="UploadWindows"/>' budget, and shrinks back once the origin is the bottleneck
/// (<see cref="CreditWindowTuner"/>).
/// </summary>
internal sealed class TunnelRequestContent(ITunnelHub hub, Guid requestId, UploadWindows windows, CancellationToken cancellationToken, OriginTelemetry? telemetry = null) : HttpContent
{
    /// <summary>Request body chunks in flight between server and agent when the body starts.</summary>
    public const int CreditWindow = UploadWindows.InitialChunks;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        await SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken1)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, cancellationToken1);
        long reserved = 0;
        var tuner = new CreditWindowTuner(CreditWindow, UploadWindows.MaxChunks, windows.RoundTrip, chunks =>
        {
            var bytes = (long)chunks * TunnelProtocol.MaxChunkSize;
            if (!windows.TryReserve(bytes))
            {
                return false;
            }

            reserved += bytes;
            return true;
        }, chunks =>
        {
            var bytes = (long)chunks * TunnelProtocol.MaxChunkSize;
            windows.Release(bytes);
            reserved -= bytes;
        });
        try
        {
            await using var body = hub.ReadRequestBody(requestId, CreditWindow, linked.Token).GetAsyncEnumerator(linked.Token);
            while (true)
            {
                var next = body.MoveNextAsync();
                // SignalR's stream enumerator completes at once when the chunk is already in its channel: the agent
                // did not wait for it, so credit was not what held the server back.
                var waited = !next.IsCompleted;
                if (!await next)
                {
                    break;
                }

                var chunk = body.Current;
                if (chunk.Length > TunnelProtocol.MaxChunkSize)
                {
                    throw new InvalidDataException("The server sent an oversized request body chunk.");
                }

                tuner.ChunkArrived(waited);
                await stream.WriteAsync(chunk, linked.Token);
                telemetry?.BytesToOrigin(chunk.Length);
                for (var grant = tuner.ChunkDrained(); grant > 0; grant -= UploadWindows.MaxGrantPerMessage)
                {
                    await hub.GrantRequestBody(requestId, Math.Min(grant, UploadWindows.MaxGrantPerMessage));
                }
            }
        }
        finally
        {
            windows.Release(reserved);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
