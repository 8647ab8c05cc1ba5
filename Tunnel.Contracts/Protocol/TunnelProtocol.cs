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
}
