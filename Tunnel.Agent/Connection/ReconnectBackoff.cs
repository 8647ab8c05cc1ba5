using Microsoft.AspNetCore.SignalR.Client;

namespace Tunnel.Agent.Connection;

/// <summary>
/// Exponential backoff with full jitter, capped, forever: 0.5 s, 1 s, 2 s … up to the cap, each drawn uniformly
/// between half and all of it so that many agents do not reconnect in step after a server restart.
/// </summary>
internal sealed class ReconnectBackoff(TimeSpan maxDelay) : IRetryPolicy
{
    private static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(500);

    public TimeSpan? NextRetryDelay(RetryContext retryContext) => Delay(retryContext.PreviousRetryCount);

    public TimeSpan Delay(long attempt)
    {
        var exponent = Math.Min(attempt, 16);
        var ceiling = Math.Min(maxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        var jittered = ceiling * (0.5 + (Random.Shared.NextDouble() * 0.5));
        return TimeSpan.FromMilliseconds(jittered);
    }
}
