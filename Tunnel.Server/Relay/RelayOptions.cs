using System.ComponentModel.DataAnnotations;

namespace Tunnel.Server.Relay;

/// <summary>Remote apps' WebSockets relayed to the home server's <c>/ws</c> (issue 11). Section <c>Tunnel:Relay</c>.</summary>
internal sealed class RelayOptions
{
    public const string SectionName = "Tunnel:Relay";

    /// <summary>
    /// How long the upgrade waits for the agent to open the home server's socket before answering 504. Default 10 s.
    /// </summary>
    public TimeSpan OpenTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Relayed sockets one client may have open on this node; above it the upgrade gets 503. Default 64.</summary>
    [Range(1, 100_000, ErrorMessage = "Tunnel:Relay:MaxRelaysPerClient must be between 1 and 100000.")]
    public int MaxRelaysPerClient { get; set; } = 64;

    /// <summary>
    /// Bytes waiting for one remote app (home-to-remote messages it has not read yet); when more arrive the remote is
    /// closed with 1008. At least 1 MiB, so a 1 MiB message always fits. Default 4 MiB.
    /// </summary>
    [Range(1024 * 1024, 1024L * 1024 * 1024, ErrorMessage = "Tunnel:Relay:RemoteQueueBytes must be between 1048576 and 1073741824.")]
    public long RemoteQueueBytes { get; set; } = 4L * 1024 * 1024;

    /// <summary>How often the server pings a remote app's socket. Default 5 s, the original's interval.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long after a ping the remote app's pong may take before its socket is dropped; with the interval, a
    /// remote silent for about 15 s is closed. Default 10 s.
    /// </summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
