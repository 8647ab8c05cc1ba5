using MessagePack;
using Tunnel.Contracts.Wire;

namespace Tunnel.Contracts.Messages;

/// <summary>The agent's answer when it could not get a response from the origin.</summary>
/// <param name="Kind">What failed.</param>
/// <param name="Detail">A human-readable explanation, safe to show to the caller (no secrets).</param>
[MessagePackFormatter(typeof(ForwardFailureFormatter))]
public sealed record ForwardFailure(ForwardFailureKind Kind, string Detail);
