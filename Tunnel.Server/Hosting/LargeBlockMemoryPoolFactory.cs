using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace Tunnel.Server.Hosting;

/// <summary>
/// Gives Kestrel 64 KiB blocks instead of 4 KiB ones (issue 13). Measured on 2 cores, one 256 MiB body through the
/// tunnel: server 1.42–1.53 → 0.86–0.89 CPU-s/GB, ~600 → 710–810 MB/s (16 KiB blocks: 1.08 CPU-s/GB). The pools it
/// makes keep at most <see cref="RetainedBytes"/> of free blocks between them; an idle connection holds none
/// (Kestrel waits for data before it takes a block).
/// </summary>
internal sealed class LargeBlockMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    /// <summary>The block size: the most one <c>recv</c> reads, and the size of an agent's body chunk.</summary>
    public const int BlockSize = 64 * 1024;

    /// <summary>Free blocks kept for all pools together, in bytes: 8 MiB, 128 blocks.</summary>
    public const int RetainedBytes = 8 * 1024 * 1024;

    private readonly LargeBlockCache _cache = new(BlockSize, RetainedBytes / BlockSize);

    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool(_cache);
}
