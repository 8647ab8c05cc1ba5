namespace Tunnel.Server.Hosting;

/// <summary>
/// Which reverse proxies may tell the server the caller's address (<c>X-Forwarded-For</c>) and scheme
/// (<c>X-Forwarded-Proto</c>). Section <c>Tunnel:ForwardedHeaders</c>. Default: none — the headers are ignored and
/// the address the connection came from is the caller's, so nobody can choose the address the failed-auth limiter
/// charges by sending a header.
/// </summary>
internal sealed class TunnelForwardedHeadersOptions
{
    public const string SectionName = "Tunnel:ForwardedHeaders";

    /// <summary>
    /// Addresses of trusted proxies, comma- or space-separated, e.g. <c>127.0.0.1, ::1</c> for a proxy on the same
    /// host. Default empty.
    /// </summary>
    public string KnownProxies { get; set; } = "";

    /// <summary>Networks of trusted proxies in CIDR notation, e.g. <c>10.0.0.0/8, fd00::/8</c>. Default empty.</summary>
    public string KnownNetworks { get; set; } = "";

    /// <summary>True when at least one proxy or network is trusted.</summary>
    public bool Any => Split(KnownProxies).Count > 0 || Split(KnownNetworks).Count > 0;

    public static IReadOnlyList<string> Split(string list) =>
        list.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
