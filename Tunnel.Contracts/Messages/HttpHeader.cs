using MessagePack;

namespace Tunnel.Contracts.Messages;

/// <summary>
/// One header field. Repeated fields (Set-Cookie) are repeated entries, in order.
/// </summary>
/// <param name="Name">Field name as received.</param>
/// <param name="Value">Field value as received.</param>
[MessagePackObject]
public sealed record HttpHeader([property: Key(0)] string Name, [property: Key(1)] string Value);
