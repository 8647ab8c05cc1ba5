using Microsoft.Net.Http.Headers;
using Tunnel.Contracts.Messages;
using Tunnel.Contracts.Protocol;

namespace Tunnel.Server.Forwarding;

/// <summary>Which header fields cross the tunnel, in each direction.</summary>
internal static class HeaderFilter
{
    /// <summary>The request header that selects the response mode; never forwarded, like every <c>X-Tunnel-*</c>.</summary>
    public const string ResponseModeHeader = "X-Tunnel-Response";

    private const string TunnelHeaderPrefix = "X-Tunnel-";

    /// <summary>
    /// What the framework's forwarded-headers middleware writes when it applies a trusted proxy's
    /// <c>X-Forwarded-*</c> (the values it replaced): the tunnel's own bookkeeping, not the caller's.
    /// </summary>
    private static readonly HashSet<string> ForwardedHeadersMiddlewareHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "X-Original-For", "X-Original-Proto", "X-Original-Host", "X-Original-Prefix",
    };

    /// <summary>
    /// Request headers for the origin: everything but hop-by-hop fields (and those the Connection field names), the
    /// tunnel's own Authorization and X-Tunnel-* fields, Host (the agent sets the origin's), Expect (Kestrel
    /// already answered it) and the X-Original-* fields the forwarded-headers middleware adds behind a proxy.
    /// </summary>
    public static List<HttpHeader> ForOrigin(IHeaderDictionary headers)
    {
        var connectionListed = headers.Connection.Count > 0 ? ParseConnectionTokens(headers.Connection) : null;
        var result = new List<HttpHeader>(headers.Count);
        foreach (var (name, values) in headers)
        {
            if (!IsForwardableRequestHeader(name) || (connectionListed?.Contains(name) ?? false))
            {
                continue;
            }

            foreach (var value in values)
            {
                if (value is not null)
                {
                    result.Add(new HttpHeader(name, value));
                }
            }
        }

        return result;
    }

    public static bool IsForwardableRequestHeader(string name) =>
        !HopByHopHeaders.Contains(name)
        && !name.Equals(HeaderNames.Authorization, StringComparison.OrdinalIgnoreCase)
        && !name.Equals(HeaderNames.Host, StringComparison.OrdinalIgnoreCase)
        && !name.Equals(HeaderNames.Expect, StringComparison.OrdinalIgnoreCase)
        && !ForwardedHeadersMiddlewareHeaders.Contains(name)
        && !name.StartsWith(TunnelHeaderPrefix, StringComparison.OrdinalIgnoreCase)
        && !name.StartsWith(':');

    /// <summary>Response headers for the caller: everything but hop-by-hop fields.</summary>
    public static bool IsForwardableResponseHeader(string name) => !HopByHopHeaders.Contains(name) && !name.StartsWith(':');

    private static HashSet<string> ParseConnectionTokens(Microsoft.Extensions.Primitives.StringValues values)
    {
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in values)
        {
            foreach (var token in (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                set.Add(token);
            }
        }

        return set;
    }
}
