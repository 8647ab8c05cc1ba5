using System.Buffers;
using MessagePack;
using Tunnel.Contracts.Wire;

namespace Tunnel.Contracts.Messages;

/// <summary>
/// One piece of a response body, at most <see cref="Protocol.TunnelProtocol.MaxChunkSize"/> bytes (issue 13). On the
/// wire it is a MessagePack <c>bin</c>, byte for byte what a <c>byte[]</c> is, so an older agent or server that
/// sends or reads <c>byte[]</c> still interoperates.
/// <para>
/// No array per chunk on either side: the sender wraps its own read buffer (<see cref="Borrow"/>), which SignalR
/// serializes before the sender's stream is asked for the next item, so one buffer serves a whole body; the receiver
/// gets the bytes in an array rented from <see cref="ArrayPool{T}.Shared"/> and gives it back with
/// <see cref="Return"/> once written (a chunk never returned is only garbage-collected).
/// </para>
/// </summary>
[MessagePackFormatter(typeof(BodyChunkFormatter))]
public sealed class BodyChunk
{
    private byte[]? _rented;

    private BodyChunk(ReadOnlyMemory<byte> memory, byte[]? rented)
    {
        Memory = memory;
        _rented = rented;
    }

    /// <summary>The chunk's bytes; empty after <see cref="Return"/>.</summary>
    public ReadOnlyMemory<byte> Memory { get; private set; }

    /// <summary>Length in bytes.</summary>
    public int Length => Memory.Length;

    /// <summary>A chunk over the caller's buffer, which must stay unchanged until the chunk has been sent.</summary>
    public static BodyChunk Borrow(ReadOnlyMemory<byte> memory) => new(memory, null);

    /// <summary>A chunk holding a copy of <paramref name="bytes"/> in a pooled array.</summary>
    public static BodyChunk Rent(in ReadOnlySequence<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return new BodyChunk(ReadOnlyMemory<byte>.Empty, null);
        }

        var length = checked((int)bytes.Length);
        var array = ArrayPool<byte>.Shared.Rent(length);
        bytes.CopyTo(array);
        return new BodyChunk(array.AsMemory(0, length), array);
    }

    /// <summary>Gives a pooled array back; the chunk is empty afterwards. Safe to call more than once.</summary>
    public void Return()
    {
        Memory = ReadOnlyMemory<byte>.Empty;
        if (Interlocked.Exchange(ref _rented, null) is { } array)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
