using System.Buffers;
using System.Net.WebSockets;

namespace Tunnel.Agent.Connection;

/// <summary>
/// Sends each SignalR message as few WebSocket frames as it can. SignalR's transport hands a multi-segment message to the
/// socket one 4 KiB pipe segment at a time, which made every 64 KiB body chunk sixteen masked frames and sixteen
/// send calls (measured with strace: 4,104-byte sends). Here the fragments are gathered and sent as frames of up to
/// <see cref="MaxFrameBytes"/>; receiving is untouched.
/// <para>
/// Bounded because SignalR sends whatever its pipe holds as one message, up to the pipe's size (1 MiB then, 256 KiB
/// now: <c>TunnelProtocol.MaxMessageSize</c>): gathering it whole grew this buffer to 1–2 MiB and made the socket
/// rent 1 MiB send buffers (issue 13: 16 such arrays held after a download). A frame of at most 128 KiB less the frame header fits the socket's 128 KiB pooled buffer.
/// </para>
/// </summary>
internal sealed class CoalescingWebSocket(WebSocket inner) : WebSocket
{
    /// <summary>The largest frame sent; with its header (≤ 14 bytes) it fits a 128 KiB pooled array.</summary>
    public const int MaxFrameBytes = 128 * 1024 - 16;

    private readonly ArrayBufferWriter<byte> _pending = new(MaxFrameBytes);

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
        if (_pending.WrittenCount + buffer.Length <= MaxFrameBytes)
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
            return SendPendingAsync(messageType, endOfMessage: true, cancellationToken);
        }

        return SendOverflowingAsync(buffer, messageType, endOfMessage, cancellationToken);
    }

    private async ValueTask SendOverflowingAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        // What is gathered goes out as one fragment of the message; the new piece starts the next.
        if (_pending.WrittenCount > 0)
        {
            await SendPendingAsync(messageType, endOfMessage: false, cancellationToken);
        }

        while (buffer.Length > MaxFrameBytes)
        {
            await inner.SendAsync(buffer[..MaxFrameBytes], messageType, endOfMessage: false, cancellationToken);
            buffer = buffer[MaxFrameBytes..];
        }

        if (endOfMessage)
        {
            await inner.SendAsync(buffer, messageType, endOfMessage: true, cancellationToken);
            return;
        }

        _pending.Write(buffer.Span);
    }

    private async ValueTask SendPendingAsync(WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        try
        {
            await inner.SendAsync(_pending.WrittenMemory, messageType, endOfMessage, cancellationToken);
        }
        finally
        {
            _pending.ResetWrittenCount();
        }
    }

    public override void Dispose() => inner.Dispose();
}
