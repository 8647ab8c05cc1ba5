namespace Tunnel.Contracts.Protocol;

/// <summary>WebSocket close statuses (RFC 6455 §7.4.1) the relay uses, by name.</summary>
public static class RelayCloseStatus
{
    /// <summary>1000: the other side closed normally.</summary>
    public const int Normal = 1000;

    /// <summary>1001: the home server or the tunnel server is going away.</summary>
    public const int GoingAway = 1001;

    /// <summary>1008: the remote app did not read its messages and its queue filled.</summary>
    public const int PolicyViolation = 1008;

    /// <summary>1009: the remote app sent a message over 64 KiB.</summary>
    public const int MessageTooBig = 1009;

    /// <summary>1011: the home server's socket closed or failed.</summary>
    public const int InternalError = 1011;

    /// <summary>1012: the agent reconnects, was displaced or drains; the app should reconnect.</summary>
    public const int ServiceRestart = 1012;

    /// <summary>True for a status an endpoint may send in a close frame (not 1004–1006, 1015 or unassigned).</summary>
    public static bool IsSendable(int status) =>
        status is >= 1000 and <= 1003 or >= 1007 and <= 1014 or >= 3000 and <= 4999;
}
