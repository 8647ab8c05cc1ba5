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
/// copies the bytes into a pooled buffer (on the server, a chunk of more than 32 KiB goes into a block of the cache
/// Kestrel's sockets read into, see <see cref="Rent"/>) and gives it back with <see cref="Return"/> once written (a
/// chunk never returned is only garbage-collected: pools hand out managed memory).
/// </para>
/// </summary>
[MessagePackFormatter(typeof(BodyChunkFormatter))]
public sealed class BodyChunk
{
    private IMemoryOwner<byte>? _rented;

    private BodyChunk(ReadOnlyMemory<byte> memory, IMemoryOwner<byte>? rented)
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

    /// <summary>A chunk holding a copy of <paramref name="bytes"/> in a buffer rented from <paramref name="pool"/> if it
    /// fills more than half of that pool's buffers, from <see cref="MemoryPool{T}.Shared"/> otherwise (or if null).</summary>
    public static BodyChunk Rent(in ReadOnlySequence<byte> bytes, MemoryPool<byte>? pool = null)
    {
        if (bytes.IsEmpty)
        {
            return new BodyChunk(ReadOnlyMemory<byte>.Empty, null);
        }

        var length = checked((int)bytes.Length);
        // A block of the given pool only for a chunk that fills at least half of one: buffered responses hold every
        // chunk and count its length, so small chunks in whole 64 KiB blocks would hold up to 64 times what is
        // counted; MemoryPool.Shared rounds up to a power of two, at most twice.
        var source = pool is not null && length > pool.MaxBufferSize / 2 ? pool : MemoryPool<byte>.Shared;
        var rented = source.Rent(length);
        var memory = rented.Memory[..length];
        bytes.CopyTo(memory.Span);
        return new BodyChunk(memory, rented);
    }

    /// <summary>Gives a pooled buffer back; the chunk is empty afterwards. Safe to call more than once.</summary>
    public void Return()
    {
        Memory = ReadOnlyMemory<byte>.Empty;
        Interlocked.Exchange(ref _rented, null)?.Dispose();
    }
}
