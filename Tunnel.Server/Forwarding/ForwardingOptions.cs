using System.ComponentModel.DataAnnotations;

namespace Tunnel.Server.Forwarding;

/// <summary>How requests travel through the tunnel. Section <c>Tunnel:Forwarding</c>.</summary>
internal sealed class ForwardingOptions
{
    public const string SectionName = "Tunnel:Forwarding";

    /// <summary>Most chunks the response credit window may hold; the hub's stream buffer is sized above it.</summary>
    public const int MaxCreditWindow = 32;

    /// <summary>
    /// How long the server waits for the agent's status and headers before answering 504. Default 60 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Tunnel:Forwarding:ResponseHeadersTimeout must be between 00:00:01 and 01:00:00.")]
    public TimeSpan ResponseHeadersTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a response body may go without a chunk before the server gives up and aborts it. Default 60 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Tunnel:Forwarding:ResponseIdleTimeout must be between 00:00:01 and 01:00:00.")]
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
    /// Response chunks (64 KiB each) an agent may have in flight per request before the server grants more; bounds
    /// server memory per request (8 chunks = 512 KiB). Default 8.
    /// </summary>
    [Range(2, MaxCreditWindow, ErrorMessage = "Tunnel:Forwarding:ResponseCreditWindow must be between 2 and 32.")]
    public int ResponseCreditWindow { get; set; } = 8;

    /// <summary>Requests one agent may have in flight; over it callers get 503 with Retry-After. Default 256.</summary>
    [Range(1, 100_000, ErrorMessage = "Tunnel:Forwarding:MaxInFlightPerAgent must be between 1 and 100000.")]
    public int MaxInFlightPerAgent { get; set; } = 256;

    /// <summary>Largest request body accepted, in bytes; larger ones get 413. Default 4 GiB.</summary>
    [Range(0, long.MaxValue, ErrorMessage = "Tunnel:Forwarding:MaxRequestBodyBytes must not be negative.")]
    public long MaxRequestBodyBytes { get; set; } = 4L * 1024 * 1024 * 1024;
}
