using System.Collections.Frozen;

namespace Tunnel.Contracts.Protocol;

/// <summary>
/// Header fields that describe one hop and are never forwarded (RFC 9110 §7.6.1), in either direction.
/// </summary>
public static class HopByHopHeaders
{
    private static readonly FrozenSet<string> Names = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "Connection",
        "Keep-Alive",
        "Transfer-Encoding",
        "TE",
        "Trailer",
        "Upgrade",
        "Proxy-Connection",
        "Proxy-Authenticate",
        "Proxy-Authorization");

    /// <summary>True for a hop-by-hop field, including every <c>Proxy-*</c> field.</summary>
    public static bool Contains(string name) =>
        Names.Contains(name) || name.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase);
}
