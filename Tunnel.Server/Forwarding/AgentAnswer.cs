using Tunnel.Contracts.Messages;

namespace Tunnel.Server.Forwarding;

/// <summary>
/// How the exchange goes on once it stops waiting: with the agent's response (head and body stream), or with the
/// error that ended it first (the agent's failure, or the caller's request body breaking the limit).
/// </summary>
internal sealed record AgentAnswer(ResponseHead? Head, IAsyncEnumerable<BodyChunk>? Body, ForwardingError Error, string Detail)
{
    /// <summary>True when the body came whole with the head: nothing more will arrive and no credit is needed.</summary>
    public bool IsComplete { get; private init; }

    public static AgentAnswer Response(ResponseHead head, IAsyncEnumerable<BodyChunk> body) => new(head, body, ForwardingError.None, string.Empty);

    public static AgentAnswer Whole(ResponseHead head, byte[] body) =>
        new(head, Once(body), ForwardingError.None, string.Empty) { IsComplete = true };

    public static AgentAnswer Failed(ForwardingError error, string detail) => new(null, null, error, detail);

    private static async IAsyncEnumerable<BodyChunk> Once(byte[] body)
    {
        await Task.CompletedTask;
        if (body.Length > 0)
        {
            yield return BodyChunk.Borrow(body);
        }
    }
}
