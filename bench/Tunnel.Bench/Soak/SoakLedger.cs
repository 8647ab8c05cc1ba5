using System.Collections.Concurrent;
using System.Diagnostics;

namespace Tunnel.Bench.Soak;

/// <summary>
/// What the soak has seen so far, shared by the workers, the fault scheduler, the sampler and the report: the clock
/// (seconds since the soak started), counts and bytes, visible failures, real errors, and the kill events with their
/// recovery (the end of the first success that started after a kill).
/// </summary>
internal sealed class SoakLedger
{
    /// <summary>Small requests' latencies kept for the percentiles (bounds memory on long runs).</summary>
    private const int MaxLatencySamples = 2_000_000;

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentQueue<SoakFailure> _failures = new();
    private readonly ConcurrentQueue<SoakRealError> _realErrors = new();
    private readonly List<SoakKillEvent> _events = [];
    private readonly Lock _eventsGate = new();
    private readonly ConcurrentDictionary<string, long> _okByKind = new();
    private readonly ConcurrentDictionary<string, long> _failedByKind = new();
    private readonly ConcurrentQueue<long> _smallOkMicroseconds = new();
    private long _requests;
    private long _ok;
    private long _responseBytes;
    private long _uploadBytes;
    private long _inFlight;
    private volatile bool _disturbing;
    private SoakKillEvent? _current;

    /// <summary>Seconds since the soak started.</summary>
    public double Now => _clock.Elapsed.TotalSeconds;

    public long Requests => Interlocked.Read(ref _requests);

    public long Ok => Interlocked.Read(ref _ok);

    public long ResponseBytes => Interlocked.Read(ref _responseBytes);

    public long UploadBytes => Interlocked.Read(ref _uploadBytes);

    public long InFlight => Interlocked.Read(ref _inFlight);

    public int VisibleFailureCount => _failures.Count;

    public int RealErrorCount => _realErrors.Count;

    /// <summary>True from a kill until its recovery was seen: a process gone meanwhile did not die by itself.</summary>
    public bool Disturbing => _disturbing;

    public IReadOnlyDictionary<string, long> OkByKind => _okByKind;

    public IReadOnlyDictionary<string, long> FailedByKind => _failedByKind;

    public void RequestStarted() => Interlocked.Increment(ref _inFlight);

    /// <summary>Counts one finished request and files its outcome.</summary>
    public void RequestEnded(SoakRequest request, SoakOutcome outcome, double start, double end)
    {
        Interlocked.Decrement(ref _inFlight);
        Interlocked.Increment(ref _requests);
        var kindKey = request.Kind + (request.Buffered ? "/buffered" : "/streamed");
        switch (outcome.Kind)
        {
            case SoakOutcomeKind.Ok:
                Interlocked.Increment(ref _ok);
                _okByKind.AddOrUpdate(kindKey, 1, (_, v) => v + 1);
                Interlocked.Add(ref request.Kind == SoakKind.Upload ? ref _uploadBytes : ref _responseBytes, request.ExpectedBytes);
                if (request.Kind == SoakKind.Small && _smallOkMicroseconds.Count < MaxLatencySamples)
                {
                    _smallOkMicroseconds.Enqueue((long)((end - start) * 1e6));
                }

                NoteSuccess(start, end);
                break;
            case SoakOutcomeKind.Visible:
                _failedByKind.AddOrUpdate(kindKey, 1, (_, v) => v + 1);
                _failures.Enqueue(new SoakFailure(start, end, outcome.Category, outcome.Detail, request.Describe()));
                break;
            default:
                _failedByKind.AddOrUpdate(kindKey, 1, (_, v) => v + 1);
                Real(end, outcome.Category, $"{request.Describe()}: {outcome.Detail} (started at {start:0.0} s, took {end - start:0.0} s)");
                break;
        }
    }

    public void Real(double at, string category, string detail)
    {
        _realErrors.Enqueue(new SoakRealError(at, category, detail));
        SoakProgress.Write($"REAL ERROR [{category}] at {at:0.0} s: {detail}");
    }

    /// <summary>A kill is about to happen: from now on a process that is gone is expected.</summary>
    public void KillStarting(SoakKillEvent ev)
    {
        _disturbing = true;
        lock (_eventsGate)
        {
            _events.Add(ev);
        }
    }

    /// <summary>The process is gone: the next success that starts from now on is the recovery.</summary>
    public void Killed(SoakKillEvent ev)
    {
        ev.KilledAt = Now;
        Volatile.Write(ref _current, ev);
    }

    public void KillOver() => _disturbing = false;

    public SoakKillEvent[] Events()
    {
        lock (_eventsGate)
        {
            return [.. _events];
        }
    }

    public SoakFailure[] Failures() => [.. _failures];

    public SoakRealError[] RealErrors() => [.. _realErrors];

    /// <summary>Latencies of successful small requests in microseconds, sorted.</summary>
    public long[] SortedSmallOkMicroseconds()
    {
        var values = _smallOkMicroseconds.ToArray();
        Array.Sort(values);
        return values;
    }

    private void NoteSuccess(double start, double end)
    {
        var ev = Volatile.Read(ref _current);
        if (ev is null || ev.RecoveredAt is not null || start < ev.KilledAt)
        {
            return;
        }

        lock (_eventsGate)
        {
            if (ev.RecoveredAt is null || end < ev.RecoveredAt)
            {
                ev.RecoveredAt = end;
            }
        }
    }
}
