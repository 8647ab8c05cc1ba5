using System.Threading.Channels;
using Tunnel.Contracts.Messages;
using Tunnel.Contracts.Protocol;
using Tunnel.Server.Agents;

namespace Tunnel.Server.Relay;

/// <summary>
/// One remote app's WebSocket relayed through one agent connection: its open handshake, the bounded queue toward
/// the remote, the credit toward the home server, its byte counts and why it ended. It belongs to exactly one
/// client and one agent connection; the hub reaches it only through <see cref="RemoteRelays.TryGetOwned"/>.
/// </summary>
internal sealed class RemoteRelay
{
    /// <summary>Queue slots; the byte bound is what usually limits, this only caps tiny-frame floods.</summary>
    private const int QueueFrames = 16_384;

    private readonly Channel<RelayFrame> _toRemote = Channel.CreateBounded<RelayFrame>(
        new BoundedChannelOptions(QueueFrames) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly TaskCompletionSource<int> _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _closing = new();
    private readonly long _maxQueuedBytes;
    private long _queuedBytes;
    private long _bytesToHome;
    private long _bytesToRemote;
    private int _end;
    private int _localCloseStatus = RelayCloseStatus.InternalError;
    private bool _localClosed;

    public RemoteRelay(string clientId, AgentSession session, long maxQueuedBytes)
    {
        ClientId = clientId;
        Session = session;
        _maxQueuedBytes = maxQueuedBytes;
    }

    public Guid RelayId { get; } = Guid.NewGuid();

    public string ClientId { get; }

    public AgentSession Session { get; }

    /// <summary>The agent's answer to the open: 101 or the status the remote app gets instead.</summary>
    public Task<int> Opened => _opened.Task;

    /// <summary>Credit for remote-to-home messages, granted back by the agent as the home server takes them.</summary>
    public SemaphoreSlim Credits { get; } = new(TunnelProtocol.RelayCreditWindow);

    /// <summary>Fires once, when the relay has a reason to end.</summary>
    public CancellationToken Closing => _closing.Token;

    public RelayEnd End => (RelayEnd)Volatile.Read(ref _end);

    /// <summary>The status the remote app's socket is closed with.</summary>
    public int CloseStatus { get; private set; }

    public long BytesToHome => Interlocked.Read(ref _bytesToHome);

    public long BytesToRemote => Interlocked.Read(ref _bytesToRemote);

    public ChannelReader<RelayFrame> ToRemote => _toRemote.Reader;

    public void SetOpened(int status) => _opened.TrySetResult(status);

    /// <summary>Records why the relay ends; the first reason wins. Never blocks.</summary>
    public bool TryEnd(RelayEnd end, int closeStatus)
    {
        if (Interlocked.CompareExchange(ref _end, (int)end, (int)RelayEnd.None) != (int)RelayEnd.None)
        {
            return false;
        }

        CloseStatus = closeStatus;
        _toRemote.Writer.TryComplete();
        // Callbacks on the pool: the hub's receive loop, which may be the caller, must not run the relay's ending.
        _ = _closing.CancelAsync();
        return true;
    }

    /// <summary>
    /// Queues a piece of a home-to-remote message without ever waiting: the hub's receive loop calls this. A remote
    /// whose queue is full is closed with 1008; an oversized piece is a protocol violation.
    /// </summary>
    public void QueueToRemote(RelayFrame frame)
    {
        if (frame.Data is null || frame.Data.Length > TunnelProtocol.MaxChunkSize)
        {
            TryEnd(RelayEnd.ProtocolViolation, RelayCloseStatus.InternalError);
            return;
        }

        // A piece the agent sent after it said the home side closed has nowhere to go (the queue is complete); it must
        // not turn the home's close status into 1008. The hub's receive loop calls this and LocalClosed in order.
        if (Volatile.Read(ref _localClosed))
        {
            return;
        }

        var length = frame.Data.Length;
        if (Interlocked.Add(ref _queuedBytes, length) > _maxQueuedBytes || !_toRemote.Writer.TryWrite(frame))
        {
            Interlocked.Add(ref _queuedBytes, -length);
            TryEnd(RelayEnd.QueueFull, RelayCloseStatus.PolicyViolation);
        }
    }

    /// <summary>A queued piece reached the remote app's socket.</summary>
    public void SentToRemote(int length)
    {
        Interlocked.Add(ref _queuedBytes, -length);
        Interlocked.Add(ref _bytesToRemote, length);
    }

    public void SentToHome(int length) => Interlocked.Add(ref _bytesToHome, length);

    /// <summary>
    /// The home server's socket closed: the frames already queued still reach the remote app, then it is closed
    /// with <paramref name="closeStatus"/>.
    /// </summary>
    public void LocalClosed(int closeStatus)
    {
        Volatile.Write(ref _localCloseStatus, closeStatus);
        Volatile.Write(ref _localClosed, true);
        _toRemote.Writer.TryComplete();
    }

    /// <summary>The queue ran dry after <see cref="LocalClosed"/>: now the relay ends.</summary>
    public void QueueDrained() => TryEnd(RelayEnd.LocalClosed, Volatile.Read(ref _localCloseStatus));

    // Neither the token source nor the semaphore is disposed: the hub may still touch a relay that just ended, and
    // neither holds anything that needs it (no timer, no wait handle).
    public void Grant(int messages) => Credits.Release(messages);
}
