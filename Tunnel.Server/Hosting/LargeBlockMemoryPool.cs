using System.Buffers;

namespace Tunnel.Server.Hosting;

/// <summary>
/// Kestrel's memory pool with blocks larger than its own 4 KiB ones, taken from and given back to a shared
/// <see cref="LargeBlockCache"/>. Kestrel reads a socket into whatever block its pipe hands it: with 4 KiB blocks an
/// agent's 64 KiB body chunk took about 32 <c>recv</c> calls of ~2 KiB, each passed through every layer above
/// (strace: 131,135 <c>recvfrom</c> for one 256 MiB body).
/// </summary>
internal sealed class LargeBlockMemoryPool(LargeBlockCache cache) : MemoryPool<byte>
{
    private bool _disposed;

    public override int MaxBufferSize => cache.BlockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);

        // Pipes ask for more than a block only for one oversized write; an unpooled array serves it.
        return minBufferSize > cache.BlockSize ? new UnpooledBlock(minBufferSize) : cache.Take();
    }

    protected override void Dispose(bool disposing) => _disposed = true;

    private sealed class UnpooledBlock(int length) : IMemoryOwner<byte>
    {
        public Memory<byte> Memory { get; } = GC.AllocateUninitializedArray<byte>(length);

        public void Dispose()
        {
        }
    }
}
