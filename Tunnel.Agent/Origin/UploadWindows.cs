using Tunnel.Contracts.Protocol;

namespace Tunnel.Agent.Origin;

/// <summary>
/// What the request body windows of this agent share: its round-trip estimate to the server and a memory budget
/// for their growth (request body chunks the agent has granted but not yet written to the origin wait in its memory,
/// so the budget bounds that memory). One per agent host, not per process: agents started in one process (the
/// tests do) must not share a round trip — a loopback agent's 0.1 ms held another's window at its start for 30 s.
/// </summary>
internal sealed class UploadWindows
{
    /// <summary>Request body chunks granted when a body starts (8 × 64 KiB = 512 KiB).</summary>
    public const int InitialChunks = 8;

    /// <summary>
    /// Largest window one request body may grow to: 128 × 64 KiB = 8 MiB, about 40 MB/s at a 200 ms round trip,
    /// more than home uplinks carry.
    /// </summary>
    public const int MaxChunks = 128;

    /// <summary>
    /// Window growth all request bodies of this agent may hold at once: 32 MiB, so that the agent (often on a
    /// Raspberry Pi beside MoosicBox) stays small even when MoosicBox reads uploads slowly.
    /// </summary>
    public const long BudgetBytes = 32L * 1024 * 1024;

    /// <summary>
    /// Largest grant sent in one message: servers before auto-tuning refused grants above 32 chunks, so larger ones
    /// go as several messages.
    /// </summary>
    public const int MaxGrantPerMessage = 32;

    private long _reserved;

    public RoundTripEstimate RoundTrip { get; } = new();

    public bool TryReserve(long bytes)
    {
        if (Interlocked.Add(ref _reserved, bytes) > BudgetBytes)
        {
            Interlocked.Add(ref _reserved, -bytes);
            return false;
        }

        return true;
    }

    public void Release(long bytes) => Interlocked.Add(ref _reserved, -bytes);
}
