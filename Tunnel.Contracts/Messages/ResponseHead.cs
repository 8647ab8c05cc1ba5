using MessagePack;
using Tunnel.Contracts.Wire;

namespace Tunnel.Contracts.Messages;

/// <summary>Status and headers of the origin's response, sent before any body chunk.</summary>
[MessagePackFormatter(typeof(ResponseHeadFormatter))]
public sealed record ResponseHead
{
    /// <summary>The origin's status code, passed through unchanged.</summary>
    public required int StatusCode { get; init; }

    /// <summary>
    /// Response headers, hop-by-hop fields removed (values as described on <see cref="HttpHeader"/>). At most one
    /// <c>Content-Length</c>: kept when it frames the body or the answer has none (HEAD, 304); dropped when the origin
    /// sent it beside <c>Transfer-Encoding</c> (RFC 9112 §6.1).
    /// </summary>
    public required IReadOnlyList<HttpHeader> Headers { get; init; }
}
