namespace Tunnel.Tests.Fixtures;

/// <summary>
/// What a fixture saw, in order, with waits that complete when a matching event is recorded (or was already):
/// tests wait for events rather than sleep. Unbounded by design: a test's fixture records a test's worth of events.
/// </summary>
public sealed class RecordedEvents<T>
{
    private readonly List<T> _events = [];
    private readonly List<(Func<IReadOnlyList<T>, bool> Done, TaskCompletionSource Signal)> _waiters = [];
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _events.Count;
            }
        }
    }

    public IReadOnlyList<T> Snapshot()
    {
        lock (_gate)
        {
            return [.. _events];
        }
    }

    public void Add(T item)
    {
        List<TaskCompletionSource> ready = [];
        lock (_gate)
        {
            _events.Add(item);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Done(_events))
                {
                    ready.Add(_waiters[i].Signal);
                    _waiters.RemoveAt(i);
                }
            }
        }

        foreach (var signal in ready)
        {
            signal.TrySetResult();
        }
    }

    /// <summary>The first recorded event that matches, waiting up to <paramref name="within"/> for it.</summary>
    public async Task<T> WaitForAsync(Func<T, bool> match, TimeSpan within, string? what = null)
    {
        await WaitUntilAsync(events => events.Any(match), within, what ?? $"an event of {typeof(T).Name} that matches");
        lock (_gate)
        {
            return _events.First(match);
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> events were recorded; returns them all.</summary>
    public async Task<IReadOnlyList<T>> WaitForCountAsync(int count, TimeSpan within)
    {
        await WaitUntilAsync(events => events.Count >= count, within, $"{count} events of {typeof(T).Name}");
        return Snapshot();
    }

    /// <summary>Waits until <paramref name="done"/> holds for the events so far; fails with a clear message after <paramref name="within"/>.</summary>
    public async Task WaitUntilAsync(Func<IReadOnlyList<T>, bool> done, TimeSpan within, string what)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (done(_events))
            {
                return;
            }

            _waiters.Add((done, signal));
        }

        try
        {
            await signal.Task.WaitAsync(within);
        }
        catch (TimeoutException)
        {
            lock (_gate)
            {
                _waiters.RemoveAll(w => w.Signal == signal);
                throw new TimeoutException($"Waited {within.TotalSeconds:0.#} s for {what}; saw {_events.Count}: "
                    + string.Join("; ", _events.TakeLast(5)));
            }
        }
    }
}
