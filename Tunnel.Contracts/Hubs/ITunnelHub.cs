using Tunnel.Contracts.Messages;

namespace Tunnel.Contracts.Hubs;

/// <summary>Methods the agent calls on the server's hub.</summary>
public interface ITunnelHub
{
    /// <summary>
    /// Answers a forwarded request: the origin's status and headers, then its body as a stream of chunks of at
    /// most <see cref="Protocol.TunnelProtocol.MaxChunkSize"/> bytes. The agent sends no more chunks than the
    /// server has granted (initial credits plus <see cref="ITunnelAgent.Grant"/>). A stream that ends with an
    /// error tells the server the body is incomplete.
    /// </summary>
    Task Respond(Guid requestId, ResponseHead head, IAsyncEnumerable<BodyChunk> body);

    /// <summary>
    /// Answers a forwarded request whose whole body is already at hand and at most
    /// <see cref="Protocol.TunnelProtocol.MaxChunkSize"/> bytes (small API answers, cover thumbnails, HEAD, 304): one
    /// message instead of an invocation, a stream item and a stream completion.
    /// </summary>
    Task RespondComplete(Guid requestId, ResponseHead head, byte[] body);

    /// <summary>Answers a forwarded request with a failure instead of a response.</summary>
    Task Fail(Guid requestId, ForwardFailure failure);

    /// <summary>
    /// Streams the caller's request body to the agent. The server sends no more chunks than the agent has
    /// granted with <see cref="GrantRequestBody"/> (plus <paramref name="initialCredits"/>).
    /// </summary>
    IAsyncEnumerable<byte[]> ReadRequestBody(Guid requestId, int initialCredits, CancellationToken cancellationToken);

    /// <summary>The origin has consumed <paramref name="chunks"/> more request body chunks.</summary>
    Task GrantRequestBody(Guid requestId, int chunks);

    /// <summary>
    /// Answers <see cref="ITunnelAgent.OpenRelay"/>: 101 when the origin accepted the WebSocket; otherwise the status
    /// the remote app gets instead (the origin's own refusal, e.g. 400, 502 unreachable, 503 agent busy or draining,
    /// 504 no answer in time).
    /// </summary>
    Task RelayOpened(Guid relayId, int status);

    /// <summary>
    /// Part of a message from the origin's socket to the remote app, in order. Not flow-controlled: the server
    /// queues a bounded amount per relay and closes a remote app that does not keep up (1008).
    /// </summary>
    Task RelayToRemote(Guid relayId, RelayFrame frame);

    /// <summary>The origin's socket has taken <paramref name="messages"/> more remote-to-home messages.</summary>
    Task GrantRelay(Guid relayId, int messages);

    /// <summary>
    /// The origin's socket closed or failed, or the agent is going away: the server closes the remote app's socket
    /// with <paramref name="closeStatus"/> (1011, 1001 when the home went away, 1012 when the agent drains) after the
    /// frames already sent.
    /// </summary>
    Task RelayClosed(Guid relayId, int closeStatus);

    /// <summary>
    /// A barrier: completes once the server has handled every message this connection sent before it. A draining
    /// agent calls it after its last response stream ended and before it disconnects, so that the stream's completion
    /// reaches the server first and the caller gets the whole body instead of an aborted one. Does nothing else.
    /// </summary>
    Task Flush();
}
