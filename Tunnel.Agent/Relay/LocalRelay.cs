using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;
using Tunnel.Contracts.Hubs;
using Tunnel.Contracts.Messages;
using Tunnel.Contracts.Protocol;

namespace Tunnel.Agent.Relay;

/// <summary>
/// The agent's half of one relay: its own WebSocket to the home server's <c>/ws</c>. A receive is always pending on
/// that socket (so the home's pings are answered) and every piece read goes to the server in order. Messages from
/// the remote app wait in a queue of <see cref="TunnelProtocol.RelayCreditWindow"/> slots, the server's credit, and
/// are granted back as the home server takes them. Every send to the socket happens on one loop, the close included.
/// </summary>
internal sealed class LocalRelay(Guid relayId, ITunnelHub hub, ILogger logger)
{
    /// <summary>The home server sees its socket closed at most this long after the remote side ended.</summary>
    public static readonly TimeSpan CloseWithin = TimeSpan.FromSeconds(1);

    private readonly Channel<RelayFrame> _toHome = Channel.CreateBounded<RelayFrame>(
        new BoundedChannelOptions(TunnelProtocol.RelayCreditWindow) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly CancellationTokenSource _hard = new();
    private int _closing;
    private int _homeCloseStatus = RelayCloseStatus.Normal;
    private volatile bool _serverKnows;
    private long _bytesToHome;
    private long _bytesToRemote;
    private string _reason = "open";

    public Guid RelayId { get; } = relayId;

    /// <summary>Opens the home server's socket, answers the server, then relays until either side ends.</summary>
    public async Task RunAsync(RelayOpen open, Uri origin, string userAgent, TimeSpan connectTimeout)
    {
        using var socket = new ClientWebSocket();
        if (await ConnectAsync(socket, open, origin, userAgent, connectTimeout) is { } refused)
        {
            RelayLog.Refused(logger, RelayId, refused.Status, refused.Reason);
            if (!_serverKnows)
            {
                _serverKnows = true;
                await NotifyAsync(() => hub.RelayOpened(RelayId, refused.Status));
            }

            return;
        }

        RelayLog.Opened(logger, RelayId);
        await NotifyAsync(() => hub.RelayOpened(RelayId, 101));
        var receiving = Task.Run(() => ReceiveAsync(socket));
        var sending = Task.Run(() => SendAsync(socket));
        await Task.WhenAll(receiving, sending);
        if (socket.State != WebSocketState.Closed)
        {
            socket.Abort();
        }

        _hard.Dispose();
        RelayLog.Closed(logger, RelayId, _reason, Interlocked.Read(ref _bytesToHome), Interlocked.Read(ref _bytesToRemote));
    }

    /// <summary>A message from the remote app; a full queue means the server broke the credit rule.</summary>
    public void ToHome(RelayFrame frame)
    {
        if (!_toHome.Writer.TryWrite(frame))
        {
            EndAndTellServer(RelayCloseStatus.InternalError, "the server sent beyond its credit");
        }
    }

    /// <summary>The remote side ended: what is queued still reaches the home server, then its socket closes.</summary>
    public void CloseFromServer(int closeStatus)
    {
        _serverKnows = true;
        BeginClose(RelayCloseStatus.IsSendable(closeStatus) ? closeStatus : RelayCloseStatus.Normal, "closed by the remote side");
    }

    /// <summary>The agent's connection is gone: the server has already dropped the relay.</summary>
    public void ConnectionLost()
    {
        _serverKnows = true;
        BeginClose(RelayCloseStatus.GoingAway, "the tunnel connection was lost");
    }

    /// <summary>The agent is stopping: the remote app is told to reconnect (1012), the home sees 1001.</summary>
    public void Drain() => EndAndTellServer(RelayCloseStatus.ServiceRestart, "the agent is stopping", RelayCloseStatus.GoingAway);

    private async Task<(int Status, string Reason)?> ConnectAsync(ClientWebSocket socket, RelayOpen open, Uri origin, string userAgent, TimeSpan timeout)
    {
        if (LocalRelayTarget.For(origin, open.Query) is not { } target)
        {
            return (502, "the query does not stay on the home server's /ws");
        }

        socket.Options.Proxy = null;
        socket.Options.CollectHttpResponseDetails = true;
        // The same marker as on forwarded HTTP requests (Agent:OriginUserAgent): the home knows the socket is tunneled.
        socket.Options.SetRequestHeader("User-Agent", userAgent);
        if (!string.IsNullOrEmpty(open.Profile))
        {
            socket.Options.SetRequestHeader("moosicbox-profile", open.Profile);
        }

        // The home pings every 5 s and answers ours; a home that vanished without a FIN is noticed within 15 s.
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(5);
        socket.Options.KeepAliveTimeout = TimeSpan.FromSeconds(10);
        using var connect = CancellationTokenSource.CreateLinkedTokenSource(_hard.Token);
        connect.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(target, connect.Token);
            return null;
        }
        catch (OperationCanceledException) when (_hard.IsCancellationRequested)
        {
            return (502, "the server gave up before the home server answered");
        }
        catch (OperationCanceledException)
        {
            return (504, $"no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException or IOException)
        {
            var status = (int)socket.HttpStatusCode;
            return status is >= 400 and <= 599 ? (status, $"the home server answered {status}") : (502, ex.Message);
        }
    }

    private async Task ReceiveAsync(ClientWebSocket socket)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(TunnelProtocol.MaxChunkSize);
        try
        {
            while (true)
            {
                // Cancelled only by the hard stop: a pending receive is what answers the home's pings.
                var result = await socket.ReceiveAsync(buffer.AsMemory(0, TunnelProtocol.MaxChunkSize), _hard.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    var forRemote = socket.CloseStatus == WebSocketCloseStatus.EndpointUnavailable
                        ? RelayCloseStatus.GoingAway
                        : RelayCloseStatus.InternalError;
                    EndAndTellServer(forRemote, $"the home server closed ({(int?)socket.CloseStatus})", RelayCloseStatus.Normal);
                    return;
                }

                var frame = new RelayFrame(result.MessageType == WebSocketMessageType.Text, result.EndOfMessage, buffer.AsSpan(0, result.Count).ToArray());
                await hub.RelayToRemote(RelayId, frame);
                Interlocked.Add(ref _bytesToRemote, result.Count);
            }
        }
        catch (Exception) when (Volatile.Read(ref _closing) != 0 && _hard.IsCancellationRequested)
        {
            // Cut at the end of the close.
        }
        catch (Exception ex)
        {
            EndAndTellServer(RelayCloseStatus.InternalError, $"the home server's socket failed ({ex.GetType().Name})", RelayCloseStatus.InternalError);
            _hard.Cancel();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task SendAsync(ClientWebSocket socket)
    {
        var consumed = 0;
        try
        {
            await foreach (var frame in _toHome.Reader.ReadAllAsync(_hard.Token))
            {
                var type = frame.Text ? WebSocketMessageType.Text : WebSocketMessageType.Binary;
                await socket.SendAsync(frame.Data, type, endOfMessage: true, _hard.Token);
                Interlocked.Add(ref _bytesToHome, frame.Data.Length);
                if (++consumed >= TunnelProtocol.RelayCreditWindow / 2 && !_serverKnows)
                {
                    await hub.GrantRelay(RelayId, consumed);
                    consumed = 0;
                }
            }

            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync((WebSocketCloseStatus)Volatile.Read(ref _homeCloseStatus), null, _hard.Token);
            }
        }
        catch (Exception)
        {
            // The home's socket failed or the close ran out of time; the receive loop reports a failure, if any.
            _hard.Cancel();
        }
    }

    /// <summary>Stops taking messages; the send loop flushes and closes the home's socket, bounded by <see cref="CloseWithin"/>.</summary>
    private void BeginClose(int homeCloseStatus, string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        _reason = reason;
        Volatile.Write(ref _homeCloseStatus, homeCloseStatus);
        _toHome.Writer.TryComplete();
        try
        {
            _hard.CancelAfter(CloseWithin);
        }
        catch (ObjectDisposedException)
        {
            // Already finished.
        }
    }

    private void EndAndTellServer(int remoteCloseStatus, string reason, int homeCloseStatus = RelayCloseStatus.InternalError)
    {
        var tell = !_serverKnows && Volatile.Read(ref _closing) == 0;
        BeginClose(homeCloseStatus, reason);
        if (tell)
        {
            _serverKnows = true;
            _ = NotifyAsync(() => hub.RelayClosed(RelayId, remoteCloseStatus));
        }
    }

    private async Task NotifyAsync(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (Exception ex)
        {
            RelayLog.NotifyFailed(logger, RelayId, ex);
        }
    }
}
