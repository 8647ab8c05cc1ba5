namespace Tunnel.Tests.Fixtures;

/// <summary>A time provider whose one timer fires when the test says so.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private TimerCallback? _callback;
    private object? _state;

    public void Fire() => _callback?.Invoke(_state);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        _callback = callback;
        _state = state;
        return new NoTimer();
    }

    private sealed class NoTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
