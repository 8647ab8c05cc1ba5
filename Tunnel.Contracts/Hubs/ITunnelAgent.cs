using Tunnel.Contracts.Messages;

namespace Tunnel.Contracts.Hubs;

/// <summary>
/// Methods the server calls on a connected agent (the hub's typed client). Every method is a one-way
/// notification: the agent returns quickly and answers later through <see cref="ITunnelHub"/>.
/// </summary>
public interface ITunnelAgent
{
    /// <summary>
    /// Perform <paramref name="request"/> against the origin, then call <see cref="ITunnelHub.Respond"/>
    /// or <see cref="ITunnelHub.Fail"/> with the same request id.
    /// </summary>
    Task Forward(ForwardRequest request);

    /// <summary>
    /// The server has drained <paramref name="chunks"/> more response chunks of <paramref name="requestId"/>:
    /// the agent may send that many more. This per-request credit keeps one slow caller from filling the
    /// connection's shared stream buffer and stalling every other request.
    /// </summary>
    Task Grant(Guid requestId, int chunks);

    /// <summary>The caller went away or the server gave up: stop the origin request and its body.</summary>
    Task Cancel(Guid requestId);

    /// <summary>
    /// Another agent with a valid token for the same client connected; this one is being disconnected and
    /// must not reconnect.
    /// </summary>
    Task Displaced(string reason);

    /// <summary>
    /// A remote app opened a WebSocket for this client: open a WebSocket to the origin's <c>/ws</c> with
    /// <see cref="RelayOpen.Query"/>, then call <see cref="ITunnelHub.RelayOpened"/>. Issue 11.
    /// </summary>
    Task OpenRelay(RelayOpen open);

    /// <summary>
    /// One whole message from the remote app, to be sent to the origin's socket. The server sends no more than
    /// <see cref="Protocol.TunnelProtocol.RelayCreditWindow"/> beyond what the agent has granted.
    /// </summary>
    Task RelayToHome(Guid relayId, RelayFrame frame);

    /// <summary>
    /// The remote side ended (or the server gave up): close the origin's socket with <paramref name="closeStatus"/>
    /// within a second, after the messages already received.
    /// </summary>
    Task CloseRelay(Guid relayId, int closeStatus);
}
