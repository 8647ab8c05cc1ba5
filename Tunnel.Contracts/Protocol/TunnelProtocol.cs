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
    /// Largest SignalR message either side accepts, and the size of each side's SignalR pipes: 256 KiB. The largest
    /// real message is a whole small answer — a 64 KiB body plus the origin's headers (at most 64 KiB as the origin
    /// sends them, up to twice that once Latin-1 text is UTF-8) — under 200 KiB; requests are smaller (32 KiB of
    /// headers, 64 KiB chunks).
    /// <para>
    /// The pipes must hold one whole message (a message larger than a pipe's pause threshold stalls the
    /// connection), but no more than needed: SignalR's pipes hand out 4 KiB pooled segments, and with 1 MiB pipes
    /// up to 256 of them were in flight per connection, more than the shared <c>ArrayPool</c> keeps, so half a byte
    /// was allocated for every byte carried (issue 13: 504 MB of 4 KiB arrays on the agent, 538 MB on the server
    /// for 1 GB; with 256 KiB, 5 and 20 MB). Peers built with 1 MiB interoperate: neither side sends larger messages.
    /// </para>
    /// </summary>
    public const long MaxMessageSize = 256 * 1024;

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
