namespace Tunnel.Bench.Processes;

/// <summary>
/// Peak resident memory of one process group during a phase: the summed VmRSS sampled every 20 ms, and, where the
/// kernel allows resetting it, the kernel's own high-water mark (VmHWM), which catches peaks between samples.
/// </summary>
internal sealed class RssSampler : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    private readonly IReadOnlyList<int> _pids;
    private readonly bool _hwmReset;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peakSum;

    private RssSampler(IReadOnlyList<int> pids)
    {
        _pids = pids;
        _hwmReset = pids.Count > 0 && pids.All(ProcFs.TryResetPeak);
        _loop = Task.Run(LoopAsync);
    }

    public static RssSampler Start(ProcessGroup group) => new(group.Pids());

    /// <summary>Stops sampling and returns the peak in bytes.</summary>
    public async Task<long> StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        Sample();
        var peak = Interlocked.Read(ref _peakSum);
        if (_hwmReset)
        {
            // For one process VmHWM is exact; for several, the sum of their peaks bounds the peak of the sum.
            var hwm = _pids.Sum(ProcFs.PeakRssBytes);
            peak = _pids.Count == 1 ? Math.Max(peak, hwm) : peak;
        }

        return peak;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                Sample();
            }
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private void Sample()
    {
        var sum = _pids.Sum(ProcFs.RssBytes);
        var seen = Interlocked.Read(ref _peakSum);
        while (sum > seen)
        {
            var previous = Interlocked.CompareExchange(ref _peakSum, sum, seen);
            if (previous == seen)
            {
                break;
            }

            seen = previous;
        }
    }
}
