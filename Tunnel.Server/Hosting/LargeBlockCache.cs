using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Tunnel.Server.Hosting;

/// <summary>
/// The free blocks of every <see cref="LargeBlockMemoryPool"/> one factory made (Kestrel makes one pool per I/O
/// queue, two on two cores), under one bound. Blocks are pinned (Kestrel hands them to the socket) and allocated
/// uninitialized; one returned beyond the bound is left to the GC.
/// <para>
/// A download needs many blocks in flight (bound 128: 1.08–1.45 server CPU-s/GB; 512: 0.82), but a burst — 1,000
/// agents connecting at once — should not leave them all behind: every <c>trimPeriod</c>, half of the blocks that
/// stayed free the whole period are dropped, so an idle cache shrinks to nothing within a minute or so.
/// </para>
/// </summary>
internal sealed class LargeBlockCache : IDisposable
{
    private readonly ConcurrentQueue<Block> _free = new();
    private readonly int _maxRetained;
    private readonly ITimer? _trimTimer;
    private int _count;

    // The fewest free blocks seen since the last trim: that many were not needed during the whole period.
    private int _lowWater;

    public LargeBlockCache(int blockSize, int maxRetained, TimeProvider? time = null, TimeSpan? trimPeriod = null)
    {
        BlockSize = blockSize;
        _maxRetained = maxRetained;
        if (time is not null && trimPeriod is { } period)
        {
            _trimTimer = time.CreateTimer(_ => Trim(), null, period, period);
        }
    }

    public int BlockSize { get; }

    /// <summary>Free blocks held now.</summary>
    public int Count => Volatile.Read(ref _count);

    public IMemoryOwner<byte> Take()
    {
        if (_free.TryDequeue(out var block))
        {
            NoteFree(Interlocked.Decrement(ref _count));
            return block;
        }

        NoteFree(0);
        return new Block(this, GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true));
    }

    /// <summary>Drops half of the blocks that stayed free since the last trim (at least one, if any did).</summary>
    public void Trim()
    {
        var unused = Interlocked.Exchange(ref _lowWater, Count);
        for (var drop = unused == 0 ? 0 : Math.Max(1, unused / 2); drop > 0 && _free.TryDequeue(out _); drop--)
        {
            NoteFree(Interlocked.Decrement(ref _count));
        }
    }

    public void Dispose() => _trimTimer?.Dispose();

    private void NoteFree(int count)
    {
        var low = Volatile.Read(ref _lowWater);
        while (count < low)
        {
            var seen = Interlocked.CompareExchange(ref _lowWater, count, low);
            if (seen == low)
            {
                return;
            }

            low = seen;
        }
    }

    private void Return(Block block)
    {
        if (Interlocked.Increment(ref _count) <= _maxRetained)
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
