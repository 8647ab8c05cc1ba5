using Tunnel.Contracts.Messages;

namespace Tunnel.Agent.Origin;

/// <summary>
/// Rewrites a <c>Location</c> that points at the origin itself (it only knows its own private address, e.g.
/// <c>http://127.0.0.1:8001/home</c>) to the tunnel's public address the caller used, with the <c>clientId</c> the
/// tunnel routes by, so that following the redirect comes back through the tunnel. Locations elsewhere are left alone.
/// </summary>
internal static class LocationRewriter
{
    /// <summary>The value to send instead of <paramref name="location"/>, or the value itself when it stays.</summary>
    public static string Rewrite(string location, Uri originRequest, ForwardRequest request, string clientId)
    {
        if (request.PublicScheme is not { Length: > 0 } scheme || request.PublicHost is not { Length: > 0 } host
            || location.Length == 0)
        {
            return location;
        }

        // A relative reference (RFC 9110 §10.2.2) is resolved against the origin request first: it points at the
        // origin too, and would lose the clientId. ("/x" is tested first: on Unix it would parse as a file URI.)
        var isPathAbsolute = location.StartsWith('/') && !location.StartsWith("//", StringComparison.Ordinal);
        if (isPathAbsolute || !Uri.TryCreate(location, UriKind.Absolute, out var parsed))
        {
            if (!Uri.TryCreate(originRequest, location, out parsed))
            {
                return location;
            }
        }

        if (!parsed.IsAbsoluteUri
            || !string.Equals(parsed.Scheme, originRequest.Scheme, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(parsed.Host, originRequest.Host, StringComparison.OrdinalIgnoreCase)
            || parsed.Port != originRequest.Port
            || !string.IsNullOrEmpty(parsed.UserInfo))
        {
            return location;
        }

        var pathAndQuery = parsed.GetComponents(UriComponents.PathAndQuery, UriFormat.UriEscaped);
        if (!HasClientId(parsed.Query))
        {
            pathAndQuery += (pathAndQuery.Contains('?', StringComparison.Ordinal) ? "&" : "?")
                + "clientId=" + Uri.EscapeDataString(clientId);
        }

        return scheme + "://" + host + pathAndQuery + parsed.GetComponents(UriComponents.Fragment | UriComponents.KeepDelimiter, UriFormat.UriEscaped);
    }

    private static bool HasClientId(string query)
    {
        foreach (var pair in query.TrimStart('?').Split('&'))
        {
            // Query names are matched without case, as the tunnel reads them.
            if (pair.StartsWith("clientId=", StringComparison.OrdinalIgnoreCase) || pair.Equals("clientId", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
