using System.Buffers;
using System.Net.WebSockets;

namespace Tunnel.Agent.Connection;

/// <summary>
/// Sends each SignalR message as one WebSocket frame. SignalR's transport hands a multi-segment message to the
/// socket one 4 KiB pipe segment at a time, which made every 64 KiB body chunk sixteen masked frames and sixteen
/// send calls (measured with strace: 4,104-byte sends). Here the fragments are gathered and sent whole when the
/// message ends; receiving is untouched.
/// </summary>
internal sealed class CoalescingWebSocket(WebSocket inner) : WebSocket
{
    private readonly ArrayBufferWriter<byte> _pending = new(64 * 1024);

    public override WebSocketCloseStatus? CloseStatus => inner.CloseStatus;

    public override string? CloseStatusDescription => inner.CloseStatusDescription;

    public override WebSocketState State => inner.State;

    public override string? SubProtocol => inner.SubProtocol;

    public override void Abort() => inner.Abort();

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        inner.CloseAsync(closeStatus, statusDescription, cancellationToken);

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        inner.CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

    public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) =>
        inner.ReceiveAsync(buffer, cancellationToken);

    public override ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        inner.ReceiveAsync(buffer, cancellationToken);

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        SendAsync(buffer.AsMemory(), messageType, endOfMessage, cancellationToken).AsTask();

    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, WebSocketMessageFlags messageFlags, CancellationToken cancellationToken) =>
        SendAsync(buffer, messageType, (messageFlags & WebSocketMessageFlags.EndOfMessage) != 0, cancellationToken);

    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        if (!endOfMessage)
        {
            _pending.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        if (_pending.WrittenCount == 0)
        {
            return inner.SendAsync(buffer, messageType, endOfMessage: true, cancellationToken);
        }

        _pending.Write(buffer.Span);
        return SendPendingAsync(messageType, cancellationToken);
    }

    private async ValueTask SendPendingAsync(WebSocketMessageType messageType, CancellationToken cancellationToken)
    {
        try
        {
            await inner.SendAsync(_pending.WrittenMemory, messageType, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _pending.ResetWrittenCount();
        }
    }

    public override void Dispose() => inner.Dispose();
}
