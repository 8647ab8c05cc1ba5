using Microsoft.Net.Http.Headers;
using Tunnel.Contracts.Messages;
using Tunnel.Contracts.Protocol;

namespace Tunnel.Server.Forwarding;

/// <summary>Copies the origin's status and headers onto the caller's response.</summary>
internal static class ResponseHeaders
{
    /// <summary>
    /// Applies status and headers; false when the agent sent something no HTTP response can carry: a bad status, a
    /// 1xx status, a value with CR, LF, NUL or a char above U+00FF, or Content-Length values that disagree (RFC 9112 §6.3).
    /// </summary>
    public static bool TryApply(HttpResponse response, ResponseHead head, bool keepContentLength)
    {
        // A 1xx is never a final answer to forward (the agent's HTTP client consumes interim ones itself).
        if (head.StatusCode is < 200 or > 999 || head.Headers.Count > TunnelProtocol.MaxHeaderCount)
        {
            return false;
        }

        response.StatusCode = head.StatusCode;
        // A 204 answer must not carry Content-Length (RFC 9110 §8.6); a 304 or HEAD answer may, and keeps it.
        var lengthAllowed = keepContentLength && head.StatusCode != StatusCodes.Status204NoContent;
        long? contentLength = null;
        foreach (var header in head.Headers)
        {
            if (!HeaderFilter.IsForwardableResponseHeader(header.Name))
            {
                continue;
            }

            if (!HeaderValues.IsValid(header.Value))
            {
                return false;
            }

            if (header.Name.Equals(HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase))
            {
                if (!long.TryParse(header.Value, System.Globalization.NumberStyles.None, null, out var length)
                    || (contentLength is { } earlier && earlier != length))
                {
                    return false;
                }

                contentLength = length;
                if (lengthAllowed)
                {
                    response.ContentLength = length;
                }

                continue;
            }

            try
            {
                response.Headers.Append(header.Name, header.Value);
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }

        return true;
    }
}
