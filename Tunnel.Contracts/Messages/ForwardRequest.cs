using MessagePack;

namespace Tunnel.Contracts.Messages;

/// <summary>
/// A request the server asks the agent to perform against its origin (the local MoosicBox server).
/// </summary>
[MessagePackObject]
public sealed record ForwardRequest
{
    /// <summary>Identifies the request in every later message about it.</summary>
    [Key(0)]
    public required Guid RequestId { get; init; }

    /// <summary>HTTP method, e.g. <c>GET</c>.</summary>
    [Key(1)]
    public required string Method { get; init; }

    /// <summary>
    /// Path and query exactly as the caller sent them (escapes and unicode intact), always starting with <c>/</c>.
    /// The agent appends it to its origin; it never selects another host or scheme.
    /// </summary>
    [Key(2)]
    public required string PathAndQuery { get; init; }

    /// <summary>Request headers to send to the origin, hop-by-hop and tunnel headers already removed.</summary>
    [Key(3)]
    public required IReadOnlyList<HttpHeader> Headers { get; init; }

    /// <summary>
    /// True when the request has a body; the agent then reads it with <c>ReadRequestBody</c>.
    /// </summary>
    [Key(4)]
    public bool HasBody { get; init; }

    /// <summary>
    /// How many response body chunks the agent may send before it waits for a <c>Grant</c>.
    /// </summary>
    [Key(5)]
    public int InitialCredits { get; init; }
}
