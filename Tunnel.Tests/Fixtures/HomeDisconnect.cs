using System.Net.WebSockets;

namespace Tunnel.Tests.Fixtures;

/// <summary>
/// A socket of the home's <c>/ws</c> ended: which, why, the close status the client sent if any, and the receive's
/// error when it broke.
/// </summary>
public sealed record HomeDisconnect(
    ulong ConnectionId,
    HomeDisconnectReason Reason,
    WebSocketCloseStatus? ClientCloseStatus,
    string? ClientCloseDescription,
    string? Error = null);
