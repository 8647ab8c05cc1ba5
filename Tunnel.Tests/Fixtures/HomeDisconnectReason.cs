namespace Tunnel.Tests.Fixtures;

/// <summary>Why a socket of the home's <c>/ws</c> ended.</summary>
public enum HomeDisconnectReason
{
    /// <summary>The client sent a close frame.</summary>
    ClientClosed,

    /// <summary>No pong within <see cref="HomeWebSocketSettings.PongTimeout"/> of a ping: the home dropped it.</summary>
    KeepAliveTimeout,

    /// <summary>The client sent a message over <see cref="HomeWebSocketSettings.MaxMessageSize"/>: the home closed it (1009).</summary>
    MessageTooBig,

    /// <summary>The test closed it from the home's side (<see cref="HomeConnection.CloseAsync"/>).</summary>
    ClosedByHome,

    /// <summary>The test dropped its TCP connection from the home's side (<see cref="HomeConnection.Abort"/>).</summary>
    AbortedByHome,

    /// <summary>The origin app stopped: the home closed it with 1001 (going away).</summary>
    HomeStopping,

    /// <summary>The connection broke without a close frame (the client went away).</summary>
    ConnectionLost,
}
