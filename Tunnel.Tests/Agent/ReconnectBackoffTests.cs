using Microsoft.AspNetCore.SignalR.Client;
using Tunnel.Agent.Connection;

namespace Tunnel.Tests.Agent;

/// <summary>The agent's reconnect delays: 0.5 s doubling per attempt, capped, each drawn between half and all of it.</summary>
public sealed class ReconnectBackoffTests
{
    private const int Samples = 2000;

    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(0, 500)]
    [InlineData(1, 1000)]
    [InlineData(2, 2000)]
    [InlineData(3, 4000)]
    [InlineData(5, 16000)]
    public void Delay_EarlyAttempts_DoubleFromHalfASecond(long attempt, double ceilingMs)
    {
        var backoff = new ReconnectBackoff(Cap);
        var delays = Draw(backoff, attempt);

        delays.Should().OnlyContain(d => d >= ceilingMs / 2 && d <= ceilingMs, "attempt {0} waits between half and all of {1} ms", attempt, ceilingMs);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(1000)]
    [InlineData(long.MaxValue)]
    public void Delay_LateAttempts_CappedAtMaxDelay(long attempt)
    {
        var backoff = new ReconnectBackoff(Cap);
        var delays = Draw(backoff, attempt);

        delays.Should().OnlyContain(d => d >= Cap.TotalMilliseconds / 2 && d <= Cap.TotalMilliseconds, "the cap bounds every delay, however many attempts failed");
    }

    [Fact]
    public void Delay_SmallCap_BoundsEvenTheFirstAttempt()
    {
        var cap = TimeSpan.FromMilliseconds(100);
        var delays = Draw(new ReconnectBackoff(cap), 0);

        delays.Should().OnlyContain(d => d >= 50 && d <= 100);
    }

    [Fact]
    public void Delay_Jitter_SpreadsOverTheWholeUpperHalf()
    {
        // Many agents reconnecting after a server restart must not stay in step: the delays of one attempt spread
        // over [ceiling/2, ceiling], not around one value.
        var delays = Draw(new ReconnectBackoff(Cap), 10);

        delays.Min().Should().BeLessThan(Cap.TotalMilliseconds * 0.55);
        delays.Max().Should().BeGreaterThan(Cap.TotalMilliseconds * 0.95);
        delays.Distinct().Count().Should().BeGreaterThan(Samples / 2);
        var lowerQuarter = delays.Count(d => d < Cap.TotalMilliseconds * 0.625);
        lowerQuarter.Should().BeInRange(Samples / 8, Samples * 3 / 8, "the draw is uniform: about a quarter in each quarter of the range");
    }

    [Fact]
    public void NextRetryDelay_AsSignalRRetryPolicy_RetriesForever()
    {
        IRetryPolicy policy = new ReconnectBackoff(Cap);

        foreach (var previous in new long[] { 0, 1, 10, 100, 100_000 })
        {
            var delay = policy.NextRetryDelay(new RetryContext { PreviousRetryCount = previous, ElapsedTime = TimeSpan.FromDays(1) });
            delay.Should().NotBeNull("the agent never gives up reconnecting");
            delay!.Value.Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThanOrEqualTo(Cap);
        }
    }

    private static double[] Draw(ReconnectBackoff backoff, long attempt) =>
        [.. Enumerable.Range(0, Samples).Select(_ => backoff.Delay(attempt).TotalMilliseconds)];
}
