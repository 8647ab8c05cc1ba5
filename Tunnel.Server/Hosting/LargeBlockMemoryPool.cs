using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Tunnel.Server.Hosting;

/// <summary>
/// A bounded pool of pinned blocks larger than Kestrel's 4 KiB. Kestrel reads a socket into whatever block its pipe
/// hands it, and SignalR reads the WebSocket into its own pipe the same way: with 4 KiB blocks an agent's 64 KiB body
/// chunk took about 32 <c>recv</c> calls and as many trips through every layer above (strace: 131,135 recvfrom for
/// one 256 MiB body). Blocks are returned when their pipe is done with them; at most <c>maxRetained</c> are kept.
/// </summary>
internal sealed class LargeBlockMemoryPool(int blockSize, int maxRetained) : MemoryPool<byte>
{
    private readonly ConcurrentQueue<Block> _blocks = new();
    private int _retained;
    private bool _disposed;

    public override int MaxBufferSize => blockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (minBufferSize > blockSize)
        {
            // Pipes ask for more than a block only for one oversized write; an unpooled array serves it.
            return new Block(null, minBufferSize);
        }

        if (_blocks.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _retained);
            return block;
        }

        return new Block(this, blockSize);
    }

    private void Return(Block block)
    {
        if (!_disposed && Interlocked.Increment(ref _retained) <= maxRetained)
        {
            _blocks.Enqueue(block);
            return;
        }

        Interlocked.Decrement(ref _retained);
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        _blocks.Clear();
    }

    private sealed class Block : IMemoryOwner<byte>
    {
        private readonly LargeBlockMemoryPool? _pool;

        public Block(LargeBlockMemoryPool? pool, int length)
        {
            _pool = pool;
            var array = GC.AllocateUninitializedArray<byte>(length, pinned: true);
            Memory = MemoryMarshal.CreateFromPinnedArray(array, 0, array.Length);
        }

        public Memory<byte> Memory { get; }

        public void Dispose() => _pool?.Return(this);
    }
}
