namespace Tunnel.Tests.Fixtures;

/// <summary>
/// A seekable, read-only stream of <c>length</c> deterministic bytes, so that the origin can serve (and Range-slice)
/// bodies of any size without holding them, and tests can compute the expected SHA-256 independently.
/// </summary>
public sealed class PatternStream(long length, int seed = 0) : Stream
{
    private long _position;

    public static byte At(long index, int seed) => (byte)((index * 2654435761L >> 13) ^ (index >> 7) ^ seed);

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = Math.Clamp(value, 0, length);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = (int)Math.Min(buffer.Length, length - _position);
        for (var i = 0; i < n; i++)
        {
            buffer[i] = At(_position + i, seed);
        }

        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>SHA-256 (hex) of bytes [from, from+count) of the pattern.</summary>
    public static string Sha256(long length, int seed = 0, long from = 0)
    {
        using var stream = new PatternStream(from + length, seed) { Position = from };
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }
}
