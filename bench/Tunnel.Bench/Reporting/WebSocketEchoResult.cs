namespace Tunnel.Bench.Reporting;

/// <summary>
/// WebSocket round trips at one number of sockets: each socket sends a 256-byte text message, waits for its echo,
/// checks it, and sends the next (closed loop).
/// </summary>
internal sealed record WebSocketEchoResult(
    int Sockets,
    double Seconds,
    long Messages,
    long Errors,
    double MessagesPerSecond,
    double P50Ms,
    double P99Ms,
    string? FirstError);
