using System.Buffers;
using System.Net.WebSockets;
using Tunnel.Contracts.Messages;
using Tunnel.Contracts.Protocol;

namespace Tunnel.Server.Relay;

/// <summary>
/// Moves one relay's frames between the remote app's socket and the agent until the relay ends, then closes the
/// remote app's socket with the end's status and tells the agent when the end did not come from its side.
/// Remote to home: whole messages (fragments reassembled, at most 64 KiB, else 1009), each sent against credit, so
/// a home server that reads slowly slows only this remote. Home to remote: the relay's bounded queue, written in
/// order; a remote that does not keep up is closed by the queue (1008) rather than slowing anything else.
/// </summary>
internal sealed class RemoteRelayPump(RemoteRelay relay, WebSocket socket, ILogger logger)
{
    /// <summary>How long a closing relay may take to flush and close before its socket is cut.</summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _hard = new();

    public async Task RunAsync()
    {
        var receiving = Task.Run(ReceiveAsync);
        var sending = Task.Run(SendAsync);
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (relay.Closing.Register(() => ended.TrySetResult()))
        {
            await ended.Task;
        }

        _hard.CancelAfter(CloseGrace);
        await sending;
        await CloseRemoteAsync();
        await receiving;
        await AwaitCloseAnswerAsync();
        if (socket.State != WebSocketState.Closed)
        {
            socket.Abort();
        }

        _hard.Dispose();
        if (relay.End is not (RelayEnd.LocalClosed or RelayEnd.AgentGone))
        {
            await TellAgentToCloseAsync(relay, relay.End == RelayEnd.RemoteClosed ? relay.CloseStatus : RelayCloseStatus.GoingAway, logger);
        }
    }

    public static async Task TellAgentToCloseAsync(RemoteRelay relay, int closeStatus, ILogger logger)
    {
        if (relay.Session.Disconnected.IsCancellationRequested)
        {
            return;
        }

        try
        {
            await relay.Session.Agent.CloseRelay(relay.RelayId, closeStatus);
        }
        catch (Exception ex)
        {
            RelayLog.CloseNotDelivered(logger, relay.RelayId, ex);
        }
    }

    private async Task ReceiveAsync()
    {
        const int max = TunnelProtocol.MaxRelayMessageToHome;
        var buffer = ArrayPool<byte>.Shared.Rent(max + 1);
        try
        {
            while (relay.End == RelayEnd.None)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length > max)
                    {
                        relay.TryEnd(RelayEnd.MessageTooBig, RelayCloseStatus.MessageTooBig);
                        return;
                    }

                    // Never cancelled by the relay's end: cancelling a receive aborts the socket, and the close
                    // handshake needs it. Only the hard stop cuts it.
                    result = await socket.ReceiveAsync(buffer.AsMemory(length, max + 1 - length), _hard.Token);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        var status = socket.CloseStatus is { } s && RelayCloseStatus.IsSendable((int)s) ? (int)s : RelayCloseStatus.Normal;
                        relay.TryEnd(RelayEnd.RemoteClosed, status);
                        return;
                    }

                    length += result.Count;
                }
                while (!result.EndOfMessage);

                if (length > max)
                {
                    relay.TryEnd(RelayEnd.MessageTooBig, RelayCloseStatus.MessageTooBig);
                    return;
                }

                await relay.Credits.WaitAsync(relay.Closing);
                var frame = new RelayFrame(result.MessageType == WebSocketMessageType.Text, true, buffer.AsSpan(0, length).ToArray());
                await relay.Session.Agent.RelayToHome(relay.RelayId, frame);
                relay.SentToHome(length);
            }
        }
        catch (Exception) when (relay.End != RelayEnd.None)
        {
            // The relay is ending anyway; the receive was cut by the hard stop or the close.
        }
        catch (Exception)
        {
            relay.TryEnd(relay.Session.Disconnected.IsCancellationRequested ? RelayEnd.AgentGone : RelayEnd.RemoteFailed,
                relay.Session.Disconnected.IsCancellationRequested ? RelayCloseStatus.ServiceRestart : RelayCloseStatus.GoingAway);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task SendAsync()
    {
        var queue = relay.ToRemote;
        try
        {
            while (await queue.WaitToReadAsync(relay.Closing))
            {
                while (relay.End == RelayEnd.None && queue.TryRead(out var frame))
                {
                    var type = frame.Text ? WebSocketMessageType.Text : WebSocketMessageType.Binary;
                    await socket.SendAsync(frame.Data, type, frame.EndOfMessage, _hard.Token);
                    relay.SentToRemote(frame.Data.Length);
                }

                if (relay.End != RelayEnd.None)
                {
                    return;
                }
            }

            // The home server's socket closed and everything it sent before has reached the remote app.
            relay.QueueDrained();
        }
        catch (Exception) when (relay.End != RelayEnd.None)
        {
            // Ending anyway; a send still in flight when the grace ran out was cut.
        }
        catch (Exception)
        {
            relay.TryEnd(RelayEnd.RemoteFailed, RelayCloseStatus.GoingAway);
        }
    }

    private async Task CloseRemoteAsync()
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        try
        {
            await socket.CloseOutputAsync((WebSocketCloseStatus)relay.CloseStatus, Describe(relay.End, relay.CloseStatus), _hard.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The remote is gone or did not take the close in time; the socket is cut below.
        }
    }

    /// <summary>
    /// When the receive loop had already stopped (a message too big), the remote's answer to our close is read here:
    /// cutting the connection before it would reset it, and a reset throws away the close frame it has not read yet.
    /// </summary>
    private async Task AwaitCloseAnswerAsync()
    {
        if (socket.State != WebSocketState.CloseSent)
        {
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            while ((await socket.ReceiveAsync(buffer.AsMemory(), _hard.Token)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // No answer within the grace: the socket is cut.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string Describe(RelayEnd end, int closeStatus) => end switch
    {
        // The agent sends 1012 only while it stops (Tunnel.Agent/Relay/LocalRelay.Drain).
        RelayEnd.LocalClosed when closeStatus == RelayCloseStatus.ServiceRestart => "The home server's agent is stopping or reconnecting; reconnect.",
        RelayEnd.LocalClosed when closeStatus == RelayCloseStatus.InternalError => "The home server's socket failed or closed unexpectedly.",
        RelayEnd.RemoteClosed => string.Empty,
        RelayEnd.MessageTooBig => "Messages to the home server are limited to 64 KiB.",
        RelayEnd.QueueFull => "Too many unread messages.",
        RelayEnd.LocalClosed => "The home server closed the socket.",
        RelayEnd.AgentGone => "The home server's agent disconnected; reconnect.",
        RelayEnd.ServerStopping => "The tunnel server is shutting down.",
        _ => "Relay error.",
    };
}
