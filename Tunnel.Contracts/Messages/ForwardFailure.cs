using MessagePack;

namespace Tunnel.Contracts.Messages;

/// <summary>The agent's answer when it could not get a response from the origin.</summary>
/// <param name="Kind">What failed.</param>
/// <param name="Detail">A human-readable explanation, safe to show to the caller (no secrets).</param>
[MessagePackObject]
public sealed record ForwardFailure([property: Key(0)] ForwardFailureKind Kind, [property: Key(1)] string Detail);
