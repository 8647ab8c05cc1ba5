using Microsoft.Extensions.Options;

namespace Tunnel.Server.Forwarding;

/// <summary>
/// The bytes all buffered responses of this node may hold at once. Buffered mode keeps whole bodies in memory, so
/// without a shared budget sixteen concurrent 64 MiB answers would take a gigabyte; over the budget a request gets
/// 503 with Retry-After instead of the node running out of memory.
/// </summary>
internal sealed class BufferBudget(IOptionsMonitor<ForwardingOptions> options)
{
    private long _used;

    public long Used => Interlocked.Read(ref _used);

    public bool TryReserve(long bytes)
    {
        var limit = options.CurrentValue.BufferedTotalMaxBytes;
        while (true)
        {
            var used = Interlocked.Read(ref _used);
            if (used + bytes > limit)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _used, used + bytes, used) == used)
            {
                return true;
            }
        }
    }

    public void Release(long bytes) => Interlocked.Add(ref _used, -bytes);
}
