using System.ComponentModel.DataAnnotations;

namespace Tunnel.Server.Forwarding;

/// <summary>How requests travel through the tunnel. Section <c>Tunnel:Forwarding</c>.</summary>
internal sealed class ForwardingOptions
{
    public const string SectionName = "Tunnel:Forwarding";

    /// <summary>
    /// Most chunks any credit window (response or request body) may hold: 1,024 × 64 KiB = 64 MiB. The hub's stream
    /// buffer (<c>StreamBufferCapacity</c>) is sized above it, so that an agent that respects its credit can never
    /// fill the buffer, which would stall the connection's whole receive loop. A grant larger than this is refused.
    /// </summary>
    public const int MaxCreditWindow = 1024;

    /// <summary>
    /// How long the server waits for the agent's status and headers before answering 504. Default 60 s.
    /// </summary>
    public TimeSpan ResponseHeadersTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a response body may go without a chunk before the server gives up and aborts it. Default 60 s.
    /// </summary>
    public TimeSpan ResponseIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Largest body buffered mode collects before it answers 502 and stops the agent. Default 64 MiB.
    /// </summary>
    [Range(1, long.MaxValue, ErrorMessage = "Tunnel:Forwarding:BufferedResponseMaxBytes must be at least 1.")]
    public long BufferedResponseMaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Bytes all buffered responses of this node may hold at once; over it a buffered request gets 503 with
    /// Retry-After. Default 512 MiB.
    /// </summary>
    [Range(1, long.MaxValue, ErrorMessage = "Tunnel:Forwarding:BufferedTotalMaxBytes must be at least 1.")]
    public long BufferedTotalMaxBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>
    /// Response chunks (64 KiB each) an agent may have in flight per request when the request starts (8 chunks =
    /// 512 KiB). The window then grows with the link's bandwidth-delay product while the caller keeps up, up to
    /// <see cref="ResponseWindowMaxBytes"/>. Default 8.
    /// </summary>
    [Range(2, 256, ErrorMessage = "Tunnel:Forwarding:ResponseCreditWindow must be between 2 and 256.")]
    public int ResponseCreditWindow { get; set; } = 8;

    /// <summary>
    /// Largest response window one request may grow to, in bytes (a multiple of 64 KiB chunks, rounded down); server
    /// memory per request is bounded by it. 16 MiB carries about 300 MB/s at 50 ms round trip. Below the initial
    /// window (<see cref="ResponseCreditWindow"/>) the window does not grow. Default 16 MiB; at most 64 MiB.
    /// </summary>
    [Range(128 * 1024, MaxCreditWindow * 64L * 1024, ErrorMessage = "Tunnel:Forwarding:ResponseWindowMaxBytes must be between 131072 (128 KiB) and 67108864 (64 MiB).")]
    public long ResponseWindowMaxBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>
    /// Bytes of window growth (beyond the initial windows) all requests of one agent connection may hold at once; a
    /// request whose window would exceed it stays at its size. 0 turns auto-tuning off. Default 64 MiB.
    /// </summary>
    [Range(0, long.MaxValue, ErrorMessage = "Tunnel:Forwarding:ResponseWindowAgentBudgetBytes must not be negative.")]
    public long ResponseWindowAgentBudgetBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Bytes of window growth all requests of this node may hold at once, across agents. Default 512 MiB.
    /// </summary>
    [Range(0, long.MaxValue, ErrorMessage = "Tunnel:Forwarding:ResponseWindowNodeBudgetBytes must not be negative.")]
    public long ResponseWindowNodeBudgetBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Requests one agent may have in flight; over it callers get 503 with Retry-After. Default 256.</summary>
    [Range(1, 100_000, ErrorMessage = "Tunnel:Forwarding:MaxInFlightPerAgent must be between 1 and 100000.")]
    public int MaxInFlightPerAgent { get; set; } = 256;

    /// <summary>Largest request body accepted, in bytes; larger ones get 413. Default 4 GiB.</summary>
    [Range(0, long.MaxValue, ErrorMessage = "Tunnel:Forwarding:MaxRequestBodyBytes must not be negative.")]
    public long MaxRequestBodyBytes { get; set; } = 4L * 1024 * 1024 * 1024;
}
