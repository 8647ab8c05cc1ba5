using MessagePack;
using Tunnel.Contracts.Wire;

namespace Tunnel.Contracts.Messages;

/// <summary>
/// A request the server asks the agent to perform against its origin (the local MoosicBox server).
/// </summary>
[MessagePackFormatter(typeof(ForwardRequestFormatter))]
public sealed record ForwardRequest
{
    /// <summary>Identifies the request in every later message about it.</summary>
    public required Guid RequestId { get; init; }

    /// <summary>HTTP method, e.g. <c>GET</c>.</summary>
    public required string Method { get; init; }

    /// <summary>
    /// Path and query exactly as the caller sent them (escapes and unicode intact), always starting with <c>/</c>.
    /// The agent appends it to its origin; it never selects another host or scheme.
    /// </summary>
    public required string PathAndQuery { get; init; }

    /// <summary>Request headers to send to the origin, hop-by-hop and tunnel headers already removed.</summary>
    public required IReadOnlyList<HttpHeader> Headers { get; init; }

    /// <summary>
    /// True when the request has a body; the agent then reads it with <c>ReadRequestBody</c>.
    /// </summary>
    public bool HasBody { get; init; }

    /// <summary>
    /// How many response body chunks the agent may send before it waits for a <c>Grant</c>.
    /// </summary>
    public int InitialCredits { get; init; }

    /// <summary>
    /// The scheme the caller used to reach the tunnel (<c>http</c> or <c>https</c>), as the server sees it. The agent
    /// sends it to the origin as <c>X-Forwarded-Proto</c> and uses it to rewrite <c>Location</c>. Null from servers
    /// older than this field: the agent then adds no forwarding headers and rewrites nothing.
    /// </summary>
    public string? PublicScheme { get; init; }

    /// <summary>
    /// The host (and port, when not the scheme's default) the caller used to reach the tunnel, e.g.
    /// <c>tunnel.example.com</c>: the request's <c>Host</c>. Sent as <c>X-Forwarded-Host</c>; null as for
    /// <see cref="PublicScheme"/>.
    /// </summary>
    public string? PublicHost { get; init; }

    /// <summary>
    /// The caller's IP address as the server sees it (e.g. <c>203.0.113.7</c> or <c>2001:db8::1</c>), appended to
    /// <c>X-Forwarded-For</c>. Null when unknown.
    /// </summary>
    public string? CallerAddress { get; init; }
}
