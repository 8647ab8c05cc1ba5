using System.Buffers;
using System.Diagnostics;
using Microsoft.AspNetCore.Connections;

namespace Tunnel.Server.Hosting;

/// <summary>
/// Gives Kestrel 64 KiB blocks instead of 4 KiB ones (issue 13). Measured on 2 cores, one 256 MiB body through the
/// tunnel: server 1.42–1.53 → 0.78–0.89 CPU-s/GB, ~600 → 710–830 MB/s (16 KiB blocks: 1.08 CPU-s/GB). The pools it
/// makes share one cache of at most <see cref="RetainedBytes"/> of free blocks, trimmed while unused
/// (<see cref="TrimPeriod"/>); an idle connection holds no block (Kestrel waits for data before it takes one, and the
/// pipe gives it back once read: with 1,000 idle agents connected the blocks took 18.8 MiB,
/// where one each would be 64 MiB).
/// </summary>
internal sealed class LargeBlockMemoryPoolFactory : IMemoryPoolFactory<byte>, IDisposable
{
    /// <summary>The block size: the most one <c>recv</c> reads, and the size of an agent's body chunk.</summary>
    public const int BlockSize = 64 * 1024;

    /// <summary>Free blocks kept for all pools together, in bytes: 32 MiB, 512 blocks.</summary>
    public const int RetainedBytes = 32 * 1024 * 1024;

    /// <summary>How often half of the blocks that stayed free are dropped.</summary>
    public static readonly TimeSpan TrimPeriod = TimeSpan.FromSeconds(1);

    /// <summary>Bytes of dropped blocks that make the cache ask for a full collection once a burst is over: 16 MiB.</summary>
    public const long CollectThreshold = 16L * 1024 * 1024;

    /// <summary>
    /// Trim periods between two such collections: at most one every 10 s (≤ 0.15 % of the time paused). With 30 s the
    /// benchmark's 64 × 32 MiB peak was 261 MiB instead of 230–232: the collection after its 256 MiB downloads, 17 s
    /// after the one after its 1,000 agents, did not run.
    /// </summary>
    public const int MinTrimsBetweenCollections = 10;

    private readonly LargeBlockCache _cache;
    private readonly NativeHeapTrimmer _nativeHeap = new();
    private readonly ILogger<LargeBlockMemoryPoolFactory> _logger;

    public LargeBlockMemoryPoolFactory(TimeProvider time, ILogger<LargeBlockMemoryPoolFactory> logger)
    {
        _logger = logger;
        _cache = new LargeBlockCache(BlockSize, RetainedBytes / BlockSize, time, TrimPeriod, CollectThreshold, ReleaseMemory,
            MinTrimsBetweenCollections);
    }

    /// <summary>Free blocks the shared cache holds now.</summary>
    public int FreeBlocks => _cache.Count;

    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool(_cache);

    public void Dispose() => _cache.Dispose();

    /// <summary>
    /// After a burst: a compacting full collection that also gives the freed memory back to the system
    /// (<see cref="GCCollectionMode.Aggressive"/>); a background one frees the blocks but keeps the memory committed.
    /// Measured, 1,000 agents leaving then 6 × 256 MiB and 64 × 32 MiB downloads: RSS after the downloads 193–203 MiB
    /// (229–235 with a background collection, 233 with none), peak of the 64 streams 218–229 (235–241). It pauses
    /// requests (15 ms here: 2 cores, ~60 MiB heap), logged (HostingLog 902), at most once per 10 s. The C heap is
    /// trimmed with it (<see cref="NativeHeapTrimmer"/>).
    /// </summary>
    private void ReleaseMemory(long droppedBytes)
    {
        var started = Stopwatch.GetTimestamp();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _nativeHeap.Trim();
        HostingLog.IdleBuffersReleased(_logger, droppedBytes >> 20, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}
