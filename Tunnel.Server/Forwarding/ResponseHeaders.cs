using Microsoft.Net.Http.Headers;
using Tunnel.Contracts.Messages;
using Tunnel.Contracts.Protocol;

namespace Tunnel.Server.Forwarding;

/// <summary>Copies the origin's status and headers onto the caller's response.</summary>
internal static class ResponseHeaders
{
    /// <summary>Applies status and headers; false when the agent sent something no HTTP response can carry.</summary>
    public static bool TryApply(HttpResponse response, ResponseHead head, bool keepContentLength)
    {
        if (head.StatusCode is < 100 or > 999 || head.Headers.Count > TunnelProtocol.MaxHeaderCount)
        {
            return false;
        }

        response.StatusCode = head.StatusCode;
        foreach (var header in head.Headers)
        {
            if (!HeaderFilter.IsForwardableResponseHeader(header.Name))
            {
                continue;
            }

            if (header.Name.Equals(HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase))
            {
                if (!keepContentLength)
                {
                    continue;
                }

                if (!long.TryParse(header.Value, out var length) || length < 0)
                {
                    return false;
                }

                response.ContentLength = length;
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
