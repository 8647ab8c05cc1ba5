using System.Net;
using Tunnel.Agent.Telemetry;
using Tunnel.Contracts.Hubs;
using Tunnel.Contracts.Protocol;

namespace Tunnel.Agent.Origin;

/// <summary>
/// The caller's request body, pulled from the server chunk by chunk as the origin reads it. The agent grants the
/// server credit back as chunks are written to the origin, half a window at a time, so neither side ever holds
/// more than the window; the window starts at <see cref="UploadWindows.InitialChunks"/> and grows with the link's
/// bandwidth-delay product while the origin keeps up (<see cref="CreditWindowTuner"/>), within
/// <see cref="UploadWindows"/>' budget.
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
        });
        try
        {
            await foreach (var chunk in hub.ReadRequestBody(requestId, CreditWindow, linked.Token).WithCancellation(linked.Token))
            {
                if (chunk.Length > TunnelProtocol.MaxChunkSize)
                {
                    throw new InvalidDataException("The server sent an oversized request body chunk.");
                }

                tuner.ChunkArrived();
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
