using System.Net;
using System.Security.Cryptography;
using Tunnel.Bench.Origin;

namespace Tunnel.Bench.Soak;

/// <summary>An upload body: <c>length</c> bytes of <see cref="TestPattern"/> from <c>seed</c>; remembers its SHA-256.</summary>
internal sealed class PatternContent(long seed, long length) : HttpContent
{
    private const int WriteSize = 64 * 1024;

    /// <summary>SHA-256 (lower-case hex) of the bytes written by the last complete serialisation.</summary>
    public string? Sha256 { get; private set; }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        await SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (long offset = 0; offset < length;)
        {
            var n = (int)Math.Min(WriteSize, length - offset);
            var slice = TestPattern.Slice(seed + offset, n);
            hash.AppendData(slice.Span);
            await stream.WriteAsync(slice, cancellationToken);
            offset += n;
        }

        Sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    protected override bool TryComputeLength(out long length1)
    {
        length1 = length;
        return true;
    }
}
