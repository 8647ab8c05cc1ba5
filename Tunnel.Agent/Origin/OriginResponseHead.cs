using System.Globalization;
using Tunnel.Contracts.Messages;
using Tunnel.Contracts.Protocol;

namespace Tunnel.Agent.Origin;

/// <summary>
/// Turns the origin's status and headers into the <see cref="ResponseHead"/> the tunnel forwards, and says how long
/// the body is. Hop-by-hop fields go; framing is settled as RFC 9112 §6.3 says: no body for HEAD, 1xx, 204 and 304
/// whatever Content-Length says; Transfer-Encoding wins over Content-Length (which is dropped); Content-Length values
/// that disagree make the response unusable. A <c>Location</c> pointing at the origin is rewritten
/// (<see cref="LocationRewriter"/>).
/// </summary>
internal static class OriginResponseHead
{
    /// <summary>
    /// The head, or null with <paramref name="problem"/> when the response cannot be forwarded.
    /// <paramref name="bodyLength"/> is 0 for a bodiless answer, the length when Content-Length frames the body, and
    /// null when only the end of the stream does.
    /// </summary>
    public static ResponseHead? TryCreate(HttpResponseMessage response, ForwardRequest forward, string clientId,
        out long? bodyLength, out string? problem)
    {
        bodyLength = null;
        problem = null;
        var status = (int)response.StatusCode;
        if (status < 200)
        {
            // HttpClient consumes interim answers itself; a final 1xx (a 101 nobody asked for) cannot be forwarded.
            problem = $"The music server answered with a final {status} status.";
            return null;
        }

        var chunked = response.Headers.NonValidated.Contains("Transfer-Encoding");
        long? contentLength = null;

        // Fields the Connection field names are hop-by-hop too (RFC 9110 §7.6.1), whatever their names.
        var connectionListed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (response.Headers.NonValidated.TryGetValues("Connection", out var connection))
        {
            foreach (var value in connection)
            {
                connectionListed.UnionWith(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }
        }

        var headers = new List<HttpHeader>();
        foreach (var (name, values) in response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated))
        {
            if (HopByHopHeaders.Contains(name) || connectionListed.Contains(name))
            {
                continue;
            }

            foreach (var raw in values)
            {
                if (!HeaderValues.IsValid(raw))
                {
                    problem = $"The music server sent a '{name}' header with CR, LF or NUL in its value.";
                    return null;
                }

                var value = raw;
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    if (!TryMergeLength(raw, ref contentLength))
                    {
                        problem = "The music server sent Content-Length values that disagree (RFC 9112 §6.3).";
                        return null;
                    }

                    if (chunked)
                    {
                        // Transfer-Encoding frames the body; a Content-Length beside it is wrong (RFC 9112 §6.1).
                        continue;
                    }

                    value = contentLength!.Value.ToString(CultureInfo.InvariantCulture);
                    if (headers.Exists(h => h.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
                    {
                        continue;
                    }
                }
                else if (name.Equals("Location", StringComparison.OrdinalIgnoreCase) && response.RequestMessage?.RequestUri is { } sent)
                {
                    value = LocationRewriter.Rewrite(raw, sent, forward, clientId);
                }

                headers.Add(new HttpHeader(name, value));
            }
        }

        bodyLength = IsBodiless(forward.Method, status) ? 0 : chunked ? null : contentLength;
        return new ResponseHead { StatusCode = status, Headers = headers };
    }

    /// <summary>Answers that cannot have a body, whatever their headers say (RFC 9110 §6.4.1, RFC 9112 §6.3).</summary>
    public static bool IsBodiless(string method, int status) =>
        string.Equals(method, "HEAD", StringComparison.OrdinalIgnoreCase) || status is < 200 or 204 or 304;

    /// <summary>Parses a Content-Length field value (a list of equal numbers is allowed) into the one length.</summary>
    private static bool TryMergeLength(string value, ref long? length)
    {
        foreach (var item in value.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!long.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                || (length is { } earlier && earlier != parsed))
            {
                return false;
            }

            length = parsed;
        }

        return true;
    }
}
