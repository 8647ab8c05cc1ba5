namespace Tunnel.Server.Forwarding;

/// <summary>Who or what ended a forwarded request early. Mapped to a status and log level in <see cref="ForwardingProblems"/>.</summary>
internal enum ForwardingError
{
    None = 0,

    /// <summary>The HTTP caller went away. Nobody to answer; logged at Debug.</summary>
    ClientDisconnected,

    /// <summary>No agent for the clientId is connected (424, as the original).</summary>
    AgentNotConnected,

    /// <summary>The agent is at its in-flight limit (503 with Retry-After).</summary>
    AgentBusy,

    /// <summary>The agent's connection ended while the request was in flight (502, or an aborted body).</summary>
    AgentDisconnected,

    /// <summary>The agent did not send status and headers in time (504).</summary>
    AgentTimeout,

    /// <summary>The response body stopped arriving for longer than the idle timeout.</summary>
    AgentIdleTimeout,

    /// <summary>The agent could not reach the origin (502).</summary>
    OriginUnreachable,

    /// <summary>The origin did not answer in time (504).</summary>
    OriginTimeout,

    /// <summary>The origin's response could not be forwarded as it was: conflicting framing, a forbidden header byte (502).</summary>
    OriginInvalidResponse,

    /// <summary>The agent failed mid-body: the origin broke off or the agent's stream ended with an error.</summary>
    BodyIncomplete,

    /// <summary>All buffered responses together hold as much as the node allows (503 with Retry-After).</summary>
    BufferBudgetExhausted,

    /// <summary>The body is larger than buffered mode allows (502).</summary>
    BufferLimitExceeded,

    /// <summary>The agent broke the protocol (oversized chunk, bad header) (502).</summary>
    ProtocolViolation,

    /// <summary>The agent refused the request as invalid (400).</summary>
    InvalidRequest,

    /// <summary>The caller's request body, sent without a length, grew past MaxRequestBodyBytes (413).</summary>
    RequestBodyTooLarge,

    /// <summary>The caller's request body was malformed, e.g. broken chunked framing (400).</summary>
    RequestBodyInvalid,
}
