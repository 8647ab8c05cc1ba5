using System.Diagnostics;

namespace Tunnel.Bench.Reporting;

/// <summary>
/// The benchmark's progress on stderr: timestamped log lines, and a <see cref="StatusLine"/> with a bar over the
/// measurement steps (each path's body, concurrencies, streams and WebSocket counts, plus the idle-agents step).
/// </summary>
internal sealed class BenchProgress : IDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly StatusLine _status = StatusLine.ForStderr(TimeSpan.FromSeconds(30));
    private int _total;
    private int _done;

    /// <summary>Steps begun so far (all but the running one are finished); <see cref="DoneUpTo"/> moves past skipped ones.</summary>
    public int Done => _done;

    public void Log(string message) => _status.Line($"[{_clock.Elapsed.TotalSeconds,6:0.0}s] {message}");

    public void Starting(string name) => _status.Phase(null, $"starting {name}");

    public void Plan(int steps) => _total = steps;

    /// <summary>A phase begins; a <paramref name="step"/> is one of the planned ones, and the one before it is done.</summary>
    public void Begin(string path, string phase, bool step)
    {
        var finished = _done;
        if (step)
        {
            _done++;
        }

        _status.Phase(_total == 0 ? null : (double)finished / _total,
            $"{(step ? $"step {Math.Min(_done, _total)}/{_total}" : "between steps")}: {path}, {phase}");
    }

    public void DoneUpTo(int steps) => _done = Math.Max(_done, steps);

    public void Dispose() => _status.Dispose();
}
