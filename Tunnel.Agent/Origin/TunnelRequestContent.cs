using System.Net;
using Tunnel.Agent.Telemetry;
using Tunnel.Contracts.Hubs;
using Tunnel.Contracts.Protocol;

namespace Tunnel.Agent.Origin;

/// <summary>
/// The caller's request body, pulled from the server chunk by chunk as the origin reads it. The agent grants the
/// server one chunk of credit back for every chunk written to the origin, so neither side ever holds more than the
/// window.
/// </summary>
internal sealed class TunnelRequestContent(ITunnelHub hub, Guid requestId, CancellationToken cancellationToken, OriginTelemetry? telemetry = null) : HttpContent
{
    /// <summary>Request body chunks in flight between server and agent.</summary>
    public const int CreditWindow = 8;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        await SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken1)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, cancellationToken1);
        var drained = 0;
        await foreach (var chunk in hub.ReadRequestBody(requestId, CreditWindow, linked.Token).WithCancellation(linked.Token))
        {
            if (chunk.Length > TunnelProtocol.MaxChunkSize)
            {
                throw new InvalidDataException("The server sent an oversized request body chunk.");
            }

            await stream.WriteAsync(chunk, linked.Token);
            telemetry?.BytesToOrigin(chunk.Length);
            if (++drained >= CreditWindow / 2)
            {
                await hub.GrantRequestBody(requestId, drained);
                drained = 0;
            }
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
