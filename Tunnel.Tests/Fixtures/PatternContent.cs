using System.Net;
using System.Net.Http.Headers;

namespace Tunnel.Tests.Fixtures;

/// <summary>
/// A request body of <c>length</c> pattern bytes, generated while it is sent (never held). Unless
/// <c>announceLength</c> is true it goes chunked, without Content-Length.
/// </summary>
public sealed class PatternContent : HttpContent
{
    private readonly long _length;
    private readonly int _seed;
    private readonly bool _announceLength;

    public PatternContent(long length, int seed = 0, bool announceLength = true, string contentType = "application/octet-stream")
    {
        _length = length;
        _seed = seed;
        _announceLength = announceLength;
        Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        using var source = new PatternStream(_length, _seed);
        await source.CopyToAsync(stream, 128 * 1024, cancellationToken);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return _announceLength;
    }
}
