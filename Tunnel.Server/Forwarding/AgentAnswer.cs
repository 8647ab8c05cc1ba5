using Tunnel.Contracts.Messages;

namespace Tunnel.Server.Forwarding;

/// <summary>What the agent answered: a response (head and body stream) or a failure.</summary>
internal sealed record AgentAnswer(ResponseHead? Head, IAsyncEnumerable<byte[]>? Body, ForwardFailure? Failure);
