using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Tunnel.Server.Hosting;

/// <summary>
/// The free blocks of every <see cref="LargeBlockMemoryPool"/> one factory made (Kestrel makes one pool per I/O
/// queue, two on two cores): one bound for all of them, so that a burst — 1,000 agents connecting at once — leaves at
/// most <c>maxRetained</c> blocks behind, not that many per pool. Blocks are pinned (Kestrel hands them to the
/// socket) and allocated uninitialized; one that does not fit the bound is left to the GC.
/// </summary>
internal sealed class LargeBlockCache(int blockSize, int maxRetained)
{
    private readonly ConcurrentQueue<Block> _free = new();
    private int _count;

    public int BlockSize => blockSize;

    /// <summary>Free blocks held now.</summary>
    public int Count => Volatile.Read(ref _count);

    public IMemoryOwner<byte> Take()
    {
        if (_free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _count);
            return block;
        }

        return new Block(this, GC.AllocateUninitializedArray<byte>(blockSize, pinned: true));
    }

    private void Return(Block block)
    {
        if (Interlocked.Increment(ref _count) <= maxRetained)
        {
            _free.Enqueue(block);
            return;
        }

        Interlocked.Decrement(ref _count);
    }

    private sealed class Block(LargeBlockCache cache, byte[] array) : IMemoryOwner<byte>
    {
        public Memory<byte> Memory { get; } = MemoryMarshal.CreateFromPinnedArray(array, 0, array.Length);

        public void Dispose() => cache.Return(this);
    }
}
