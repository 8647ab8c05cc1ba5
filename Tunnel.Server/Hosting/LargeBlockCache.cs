using System.Buffers;
using System.Collections.Concurrent;

namespace Tunnel.Server.Hosting;

/// <summary>
/// The free blocks of every <see cref="LargeBlockMemoryPool"/> one factory made (Kestrel makes one pool per I/O
/// queue, two on two cores, and the hub one for the body chunks agents send), under one bound. Blocks are allocated
/// uninitialized; one returned beyond the bound is left to the GC.
/// <para>
/// Blocks are ordinary arrays, not pinned ones: the pinned object heap is never compacted, so blocks dropped after a
/// burst left it fragmented for good — after the benchmark's 1,000 agents and 256 MiB downloads it held 60 MiB, 21 MiB
/// of it free even after a compacting collection. Ordinary blocks are compacted away, and Linux sockets pin a buffer
/// only for the system call that fills or sends it (Windows pins it while an overlapped operation is pending).
/// </para>
/// <para>
/// A download needs many blocks in flight (bound 128: 1.08–1.45 server CPU-s/GB; 512: 0.82), but a burst — 1,000
/// agents connecting or leaving at once — should not leave them all behind: every <c>trimPeriod</c>, half of the
/// blocks that stayed free the whole period are dropped, so an idle cache shrinks to nothing within seconds.
/// </para>
/// <para>
/// A dropped block that had been kept a while is garbage in generation 2, which only a full collection frees, and an
/// idle server may not run one for minutes: after 1,000 agents left, 679 blocks had been in use at once and the process kept
/// 200–207 MiB where it started at 137; a background collection frees the blocks but keeps the memory committed. So
/// once <c>collectThreshold</c> bytes have been dropped since the last collection it asked for, the next trim that
/// finds blocks unused a whole period (the burst is over) asks for one (<c>collectGarbage</c>) — at most once per
/// <c>minTrimsBetweenCollections</c> periods, so that bursts that come and go every few seconds (agents reconnecting
/// in step) do not pause the process every few seconds.
/// </para>
/// </summary>
internal sealed class LargeBlockCache : IDisposable
{
    private readonly ConcurrentQueue<Block> _free = new();
    private readonly int _maxRetained;
    private readonly ITimer? _trimTimer;
    private readonly long _collectThreshold;
    private readonly Action<long>? _collectGarbage;
    private readonly int _minTrimsBetweenCollections;
    private int _count;
    private long _droppedBytes;
    private int _trimsSinceCollection;
    private int _trimming;

    // The fewest free blocks seen since the last trim: that many were not needed during the whole period.
    private int _lowWater;

    /// <param name="blockSize">Bytes per block.</param>
    /// <param name="maxRetained">The most free blocks kept.</param>
    /// <param name="time">Runs the trim timer; none without it (tests call <see cref="Trim"/>).</param>
    /// <param name="trimPeriod">How often <see cref="Trim"/> runs.</param>
    /// <param name="collectThreshold">Bytes dropped since the last collection asked for that make a trim ask again.</param>
    /// <param name="collectGarbage">Asks the GC for a full collection, told the bytes dropped since the last one; none:
    /// dropped blocks wait for the GC's own.</param>
    /// <param name="minTrimsBetweenCollections">Trims that must pass between two collections asked for.</param>
    public LargeBlockCache(int blockSize, int maxRetained, TimeProvider? time = null, TimeSpan? trimPeriod = null,
        long collectThreshold = long.MaxValue, Action<long>? collectGarbage = null, int minTrimsBetweenCollections = 0)
    {
        BlockSize = blockSize;
        _maxRetained = maxRetained;
        _collectThreshold = collectThreshold;
        _collectGarbage = collectGarbage;
        _minTrimsBetweenCollections = minTrimsBetweenCollections;
        _trimsSinceCollection = minTrimsBetweenCollections;
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
            block.Taken();
            return block;
        }

        NoteFree(0);
        return new Block(this, GC.AllocateUninitializedArray<byte>(BlockSize));
    }

    /// <summary>Bytes of blocks dropped to the GC since the last collection this cache asked for.</summary>
    public long DroppedBytes => Interlocked.Read(ref _droppedBytes);

    /// <summary>
    /// Drops half of the blocks that stayed free since the last trim (at least one, if any did); if it dropped any,
    /// asks for a full collection when enough has been dropped since the last one and it is not too soon after it.
    /// </summary>
    public void Trim()
    {
        // The timer may run a callback while the last one is still running (a starved thread pool): one trim at a time.
        if (Interlocked.Exchange(ref _trimming, 1) == 1)
        {
            return;
        }

        try
        {
            _trimsSinceCollection++;
            var unused = Interlocked.Exchange(ref _lowWater, Count);
            var dropped = 0;
            for (var drop = unused == 0 ? 0 : Math.Max(1, unused / 2); drop > 0 && _free.TryDequeue(out _); drop--)
            {
                NoteFree(Interlocked.Decrement(ref _count));
                Interlocked.Add(ref _droppedBytes, BlockSize);
                dropped++;
            }

            // Only once the burst is over (blocks stayed unused a whole period): under sustained load the blocks dropped
            // beyond the bound are the GC's ordinary work, and a collection asked for every period would only cost CPU.
            if (_collectGarbage is not null && dropped > 0 && DroppedBytes >= _collectThreshold
                && _trimsSinceCollection >= _minTrimsBetweenCollections)
            {
                _trimsSinceCollection = 0;
                _collectGarbage(Interlocked.Exchange(ref _droppedBytes, 0));
            }
        }
        finally
        {
            Volatile.Write(ref _trimming, 0);
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
        Interlocked.Add(ref _droppedBytes, BlockSize);
    }

    private sealed class Block(LargeBlockCache cache, byte[] array) : IMemoryOwner<byte>
    {
        // 1 while the block is in the cache: a second Dispose by its owner must not queue it twice, which would hand
        // one block to two owners.
        private int _free;

        public Memory<byte> Memory { get; } = array.AsMemory();

        public void Taken() => Volatile.Write(ref _free, 0);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _free, 1) == 0)
            {
                cache.Return(this);
            }
        }
    }
}
