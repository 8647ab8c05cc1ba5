using System.Diagnostics;

namespace Tunnel.Contracts.Protocol;

/// <summary>
/// The receiving side of one request's per-request credit flow control (response bodies on the server, request
/// bodies on the agent), with a window that follows the bandwidth-delay product the way HTTP/2 and QUIC
/// implementations auto-tune theirs. The receiver starts with <c>initialChunks</c> of credit and gives credit back
/// half a window at a time as it drains chunks. The window doubles, up to <c>maxChunks</c> and only as far as
/// <c>tryReserve</c> (the memory budgets) allows, when credit is what holds the sender back: the reader had to wait
/// for a chunk within the last window, and half a window drained in less than half a round trip
/// (<see cref="RoundTripEstimate"/>; the rule of .NET's HTTP/2 window scaling). It halves back toward
/// <c>initialChunks</c>, giving the growth back through <c>release</c>, when the reader is the bottleneck: it found
/// every chunk of a whole window already queued. A reader that is fast at first (a caller's kernel socket buffer
/// filling at memory speed) and slow afterwards therefore does not keep a grown window of chunks queued, and a slow
/// or stalled reader never grows its window, so it holds at most one window and never stalls other requests.
/// Not thread-safe: one reader loop per request calls it.
/// </summary>
public sealed class CreditWindowTuner
{
    private readonly int _initialChunks;
    private readonly int _maxChunks;
    private readonly RoundTripEstimate _roundTrip;
    private readonly Func<int, bool> _tryReserve;
    private readonly Action<int> _release;
    private readonly Queue<(long FirstChunk, long SentAt)> _grants = new();
    private long _granted;
    private long _arrived;
    private int _drained;
    private long _lastGrantAt;

    // Arrival numbers (from 1; 0 for none yet) of the last chunk the reader waited for and of the last chunk drained
    // before the window last shrank. The chunks still queued after a shrink were sent under the larger window, so the
    // next shrink waits for a whole window more: the halved window may be the right one.
    private long _lastWait;
    private long _lastShrink;

    /// <summary>Starts a window of <paramref name="initialChunks"/>, the credit the sender already has.</summary>
    /// <param name="initialChunks">The credit the sender starts with; the window never goes below it.</param>
    /// <param name="maxChunks">The largest the window may grow to.</param>
    /// <param name="roundTrip">The connection's round-trip estimate, fed by this request's samples.</param>
    /// <param name="tryReserve">Reserves memory for that many more chunks of window; false refuses the growth.</param>
    /// <param name="release">Gives back memory for that many chunks of window that <paramref name="tryReserve"/>
    /// reserved, when the window shrinks. What is still reserved when the request ends is the caller's to give back
    /// (<see cref="Grown"/> chunks).</param>
    public CreditWindowTuner(int initialChunks, int maxChunks, RoundTripEstimate roundTrip, Func<int, bool> tryReserve, Action<int> release)
    {
        Window = Math.Max(2, initialChunks);
        _initialChunks = Window;
        _maxChunks = Math.Max(Window, maxChunks);
        _roundTrip = roundTrip;
        _tryReserve = tryReserve;
        _release = release;
        _granted = Window;
        _lastGrantAt = Stopwatch.GetTimestamp();
    }

    /// <summary>The current window in chunks: the most the sender may have sent and this side not yet drained.</summary>
    public int Window { get; private set; }

    /// <summary>Chunks of window beyond the initial window: reserved through <c>tryReserve</c> and not yet released.</summary>
    public int Grown { get; private set; }

    /// <summary>
    /// Call when a chunk arrives, before it is drained. <paramref name="readerWaited"/> says whether the reader had to
    /// wait for it (nothing was queued when it asked) rather than finding it already queued. A chunk the reader
    /// waited for also times the grant it was the first to use; a queued one arrived at some earlier moment nobody
    /// saw, so it does not.
    /// </summary>
    public void ChunkArrived(bool readerWaited)
    {
        _arrived++;
        if (readerWaited)
        {
            _lastWait = _arrived;
        }

        while (_grants.Count > 0 && _grants.Peek().FirstChunk <= _arrived)
        {
            var (firstChunk, sentAt) = _grants.Dequeue();
            if (firstChunk == _arrived && readerWaited)
            {
                var now = Stopwatch.GetTimestamp();
                _roundTrip.Add(now - sentAt, now);
            }
        }
    }

    /// <summary>Call when a chunk has been drained (written on); returns the credit to grant now, 0 for none yet.</summary>
    public int ChunkDrained()
    {
        if (++_drained < Window / 2)
        {
            return 0;
        }

        var now = Stopwatch.GetTimestamp();
        // Credit holds the sender back only if the reader ran dry (waited) within the last window; a reader that found
        // a whole window of chunks queued is the bottleneck, and any growth only keeps chunks waiting in memory.
        var change = 0;
        var waitedWithinWindow = _lastWait > 0 && _arrived - _lastWait < Window;
        if (waitedWithinWindow)
        {
            change = Grow(now);
        }
        else if (Grown > 0 && _arrived - _lastShrink >= Window)
        {
            change = -Shrink();
        }

        // A shrink withholds at most what this grant gives back, so the credit is never negative and the sender
        // never has more outstanding than the (smaller) window.
        var grant = _drained + change;
        _drained = 0;
        _lastGrantAt = now;
        if (grant > 0)
        {
            // The chunk after everything granted so far is the first that can only be sent once this grant arrives.
            _grants.Enqueue((_granted + 1, now));
            _granted += grant;
        }

        return grant;
    }

    /// <summary>Doubles the window if half of it drained in under half a round trip and the budget allows; returns the chunks added.</summary>
    private int Grow(long now)
    {
        if (Window >= _maxChunks || _roundTrip.Value is not { } rtt || Stopwatch.GetElapsedTime(_lastGrantAt, now) >= rtt / 2)
        {
            return 0;
        }

        var wanted = Math.Min(Window, _maxChunks - Window);
        if (!_tryReserve(wanted))
        {
            return 0;
        }

        Window += wanted;
        Grown += wanted;
        return wanted;
    }

    /// <summary>Halves the window toward the initial one, withholding at most this grant; returns the chunks taken off.</summary>
    private int Shrink()
    {
        var target = Math.Max(_initialChunks, Window / 2);
        var withheld = Math.Min(_drained, Window - target);
        if (withheld <= 0)
        {
            return 0;
        }

        Window -= withheld;
        Grown -= withheld;
        _lastShrink = _arrived;
        _release(withheld);
        return withheld;
    }
}
