using MessagePack;

namespace Tunnel.Contracts.Messages;

/// <summary>Status and headers of the origin's response, sent before any body chunk.</summary>
[MessagePackObject]
public sealed record ResponseHead
{
    /// <summary>The origin's status code, passed through unchanged.</summary>
    [Key(0)]
    public required int StatusCode { get; init; }

    /// <summary>Response headers, hop-by-hop fields removed; <c>Content-Length</c> kept when the origin sent one.</summary>
    [Key(1)]
    public required IReadOnlyList<HttpHeader> Headers { get; init; }
}
