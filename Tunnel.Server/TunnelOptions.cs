using System.ComponentModel.DataAnnotations;

namespace Tunnel.Server;

/// <summary>Server-wide settings. Section <c>Tunnel</c>.</summary>
internal sealed class TunnelOptions
{
    public const string SectionName = "Tunnel";

    /// <summary>Shortest admin token accepted: shorter ones are guessable.</summary>
    public const int MinAdminTokenLength = 16;

    /// <summary>
    /// The secret that authorises <c>POST /auth/register-client</c>. No default: while it is unset, registration is
    /// closed (503) and everything else works. At least 16 characters.
    /// </summary>
    public string? AdminToken { get; set; }

    /// <summary>
    /// Names this server process in <c>connections.node_id</c>. Default: the machine name. Give each server sharing
    /// one database its own stable id; at start a node deletes the rows it left behind.
    /// </summary>
    [Required(ErrorMessage = "Tunnel:NodeId must not be empty.")]
    [MaxLength(128, ErrorMessage = "Tunnel:NodeId must be at most 128 characters.")]
    public string NodeId { get; set; } = Environment.MachineName;

    /// <summary>
    /// On SIGTERM the server stops accepting connections and lets in-flight requests (streams included) finish for
    /// up to this long before it closes the rest, agents' connections last. Default 30 s.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
