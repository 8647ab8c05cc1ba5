namespace Tunnel.Server.Relay;

/// <summary>Why a relay ended; the first reason wins and decides the remote app's close status.</summary>
internal enum RelayEnd
{
    /// <summary>Still running.</summary>
    None = 0,

    /// <summary>The remote app sent a close frame; its status is echoed.</summary>
    RemoteClosed,

    /// <summary>The remote app's connection broke or it stopped answering pings.</summary>
    RemoteFailed,

    /// <summary>The remote app sent a message over 64 KiB (1009).</summary>
    MessageTooBig,

    /// <summary>The remote app did not read fast enough and its queue filled (1008).</summary>
    QueueFull,

    /// <summary>The home server's socket closed or failed, or the agent drains (status chosen by the agent).</summary>
    LocalClosed,

    /// <summary>The agent's connection ended: disconnected, displaced or revoked (1012).</summary>
    AgentGone,

    /// <summary>This server is shutting down (1001).</summary>
    ServerStopping,

    /// <summary>The agent broke the relay protocol (1011).</summary>
    ProtocolViolation,
}
