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
    Task Respond(Guid requestId, ResponseHead head, IAsyncEnumerable<byte[]> body);

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
}
