using System.Diagnostics;

namespace Tunnel.Contracts.Protocol;

/// <summary>
/// The receiving side of one request's per-request credit flow control (response bodies on the server, request
/// bodies on the agent), with a window that grows with the bandwidth-delay product the way HTTP/2 and QUIC
/// implementations auto-tune theirs. The receiver starts with <c>initialChunks</c> of credit and gives credit back
/// half a window at a time as it drains chunks. When half a window drained in less than half a round trip
/// (<see cref="RoundTripEstimate"/>) — the rate at which the reader drains times the round trip exceeds the
/// window, the rule of .NET's HTTP/2 window scaling — the sender is held back by credit, not by the reader, so the
/// window doubles, up to <c>maxChunks</c> and only as far as <c>tryReserve</c> (the memory budgets) allows. A slow or stalled reader drains slowly and never grows its
/// window, so it still holds at most one window and never stalls other requests. Not thread-safe: one reader
/// loop per request calls it.
/// </summary>
public sealed class CreditWindowTuner
{
    private readonly int _maxChunks;
    private readonly RoundTripEstimate _roundTrip;
    private readonly Func<int, bool> _tryReserve;
    private readonly Queue<(long FirstChunk, long SentAt)> _grants = new();
    private long _granted;
    private long _arrived;
    private int _drained;
    private long _lastGrantAt;

    /// <summary>Starts a window of <paramref name="initialChunks"/>, the credit the sender already has.</summary>
    /// <param name="initialChunks">The credit the sender starts with.</param>
    /// <param name="maxChunks">The largest the window may grow to.</param>
    /// <param name="roundTrip">The connection's round-trip estimate, fed by this request's samples.</param>
    /// <param name="tryReserve">Reserves memory for that many more chunks of window; false refuses the growth.</param>
    public CreditWindowTuner(int initialChunks, int maxChunks, RoundTripEstimate roundTrip, Func<int, bool> tryReserve)
    {
        Window = Math.Max(2, initialChunks);
        _maxChunks = Math.Max(Window, maxChunks);
        _roundTrip = roundTrip;
        _tryReserve = tryReserve;
        _granted = Window;
        _lastGrantAt = Stopwatch.GetTimestamp();
    }

    /// <summary>The current window in chunks: the most the sender may have sent and this side not yet drained.</summary>
    public int Window { get; private set; }

    /// <summary>Chunks of window added beyond the initial window (what <c>tryReserve</c> granted in all).</summary>
    public int Grown { get; private set; }

    /// <summary>Call when a chunk arrives, before it is drained: times the grant it used, if it was the first to.</summary>
    public void ChunkArrived()
    {
        _arrived++;
        while (_grants.Count > 0 && _grants.Peek().FirstChunk <= _arrived)
        {
            var (firstChunk, sentAt) = _grants.Dequeue();
            if (firstChunk == _arrived)
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
        var extra = 0;
        if (Window < _maxChunks && _roundTrip.Value is { } rtt && Stopwatch.GetElapsedTime(_lastGrantAt, now) < rtt / 2)
        {
            var wanted = Math.Min(Window, _maxChunks - Window);
            if (_tryReserve(wanted))
            {
                extra = wanted;
                Window += wanted;
                Grown += wanted;
            }
        }

        var grant = _drained + extra;
        _drained = 0;
        // The chunk after everything granted so far is the first that can only be sent once this grant arrives.
        _grants.Enqueue((_granted + 1, now));
        _granted += grant;
        _lastGrantAt = now;
        return grant;
    }
}
