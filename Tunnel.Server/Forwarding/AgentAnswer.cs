using Tunnel.Contracts.Messages;

namespace Tunnel.Server.Forwarding;

/// <summary>
/// How the exchange goes on once it stops waiting: with the agent's response (head and body stream), or with the
/// error that ended it first (the agent's failure, or the caller's request body breaking the limit).
/// </summary>
internal sealed record AgentAnswer(ResponseHead? Head, IAsyncEnumerable<byte[]>? Body, ForwardingError Error, string Detail)
{
    public static AgentAnswer Response(ResponseHead head, IAsyncEnumerable<byte[]> body) => new(head, body, ForwardingError.None, string.Empty);

    public static AgentAnswer Failed(ForwardingError error, string detail) => new(null, null, error, detail);
}
