namespace Tunnel.Contracts.Messages;

/// <summary>Why the agent could not produce a response.</summary>
public enum ForwardFailureKind
{
    /// <summary>The origin refused the connection, reset it, or could not be resolved.</summary>
    OriginUnreachable = 0,

    /// <summary>The origin did not answer within the agent's origin timeout.</summary>
    OriginTimeout = 1,

    /// <summary>The request could not be turned into a valid origin request (bad method, path or header).</summary>
    InvalidRequest = 2,

    /// <summary>The agent is at its concurrency limit.</summary>
    AgentBusy = 3,

    /// <summary>Anything else that went wrong inside the agent.</summary>
    AgentError = 4,

    /// <summary>
    /// The origin's response cannot be forwarded as it is: Content-Length values that disagree (RFC 9112 §6.3), or a
    /// header value with CR, LF or NUL. Servers older than this value treat it as any unknown failure (502).
    /// </summary>
    OriginInvalidResponse = 5,
}
