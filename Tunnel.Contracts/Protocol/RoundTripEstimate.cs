using System.Diagnostics;

namespace Tunnel.Contracts.Protocol;

/// <summary>
/// The round trip of one hub connection as seen by a credit receiver: the smallest time from sending a grant to the
/// arrival of the first chunk that needed it. Every such sample is at least one round trip (the sender cannot use
/// credit before it arrives), so the minimum converges on the real round trip from above. Samples older than
/// <see cref="Horizon"/> are forgotten so that the estimate follows a link that gets slower. Thread-safe; one per
/// connection, shared by its requests, so that a new request starts from what earlier ones measured.
/// </summary>
public sealed class RoundTripEstimate
{
    /// <summary>How long a minimum stands before newer samples replace it.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromSeconds(30);

    private readonly object _gate = new();
    private long _minTicks = long.MaxValue;
    private long _since;

    /// <summary>The current estimate, or null before the first sample.</summary>
    public TimeSpan? Value
    {
        get
        {
            lock (_gate)
            {
                return _minTicks == long.MaxValue ? null : Stopwatch.GetElapsedTime(0, _minTicks);
            }
        }
    }

    /// <summary>Adds one grant-to-arrival sample measured at <paramref name="now"/> (Stopwatch ticks).</summary>
    public void Add(long sampleTicks, long now)
    {
        if (sampleTicks <= 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_minTicks == long.MaxValue || sampleTicks < _minTicks || Stopwatch.GetElapsedTime(_since, now) > Horizon)
            {
                _minTicks = sampleTicks;
                _since = now;
            }
        }
    }
}
