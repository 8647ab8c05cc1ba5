namespace Tunnel.Contracts.Protocol;

/// <summary>
/// Constants both sides of the tunnel agree on. Changing one is a protocol change: bump <see cref="Version"/>.
/// </summary>
public static class TunnelProtocol
{
    /// <summary>
    /// Version of the protocol that these constants and the hub contracts describe. Not sent on the wire yet: the
    /// agent's connect query carries only <c>clientId</c> and <c>sender</c>. Bump it with every incompatible change so
    /// that a later handshake can refuse a mismatched peer.
    /// </summary>
    public const int Version = 1;

    /// <summary>
    /// Largest body chunk either side may send in one stream item: 64 KiB, the original's packet size.
    /// The server refuses bigger chunks as a protocol violation.
    /// </summary>
    public const int MaxChunkSize = 64 * 1024;

    /// <summary>
    /// Largest SignalR message either side accepts: one full chunk plus room for headers and framing.
    /// </summary>
    public const long MaxMessageSize = 1024 * 1024;

    /// <summary>Most header fields one forwarded request or response may carry.</summary>
    public const int MaxHeaderCount = 256;

    /// <summary>
    /// Largest WebSocket message a remote app may send to the home server: 64 KiB, the limit of MoosicBox's own
    /// <c>/ws</c> (it drops the socket for bigger ones). The server closes the remote with 1009 instead.
    /// </summary>
    public const int MaxRelayMessageToHome = 64 * 1024;

    /// <summary>
    /// Remote-to-home messages the server may have sent for one relay before the agent grants more with
    /// <c>ITunnelHub.GrantRelay</c>. The agent's queue per relay holds exactly this many, so it never blocks its
    /// receive loop and never buffers more than 16 × 64 KiB per relay.
    /// </summary>
    public const int RelayCreditWindow = 16;
}
