using MessagePack;

namespace Tunnel.Contracts.Messages;

/// <summary>Status and headers of the origin's response, sent before any body chunk.</summary>
[MessagePackObject]
public sealed record ResponseHead
{
    /// <summary>The origin's status code, passed through unchanged.</summary>
    [Key(0)]
    public required int StatusCode { get; init; }

    /// <summary>
    /// Response headers, hop-by-hop fields removed (values as described on <see cref="HttpHeader"/>). At most one
    /// <c>Content-Length</c>: kept when it frames the body or the answer has none (HEAD, 304); dropped when the origin
    /// sent it beside <c>Transfer-Encoding</c> (RFC 9112 §6.1).
    /// </summary>
    [Key(1)]
    public required IReadOnlyList<HttpHeader> Headers { get; init; }
}
