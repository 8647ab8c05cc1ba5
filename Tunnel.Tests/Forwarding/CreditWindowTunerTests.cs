using System.Diagnostics;
using Tunnel.Contracts.Protocol;

namespace Tunnel.Tests.Forwarding;

/// <summary>
/// The window rule alone, with the round trip set by hand: a reader that drains half a window in well under half a
/// round trip doubles its window up to the maximum, as far as the budget allows; one that drains slower never grows;
/// every chunk drained is granted back exactly once.
/// </summary>
public sealed class CreditWindowTunerTests
{
    [Fact]
    public void Tuner_FastDrainOverLongRoundTrip_DoublesUpToMax()
    {
        var reserved = 0;
        var tuner = new CreditWindowTuner(8, 64, RoundTrip(TimeSpan.FromSeconds(10)), chunks => { reserved += chunks; return true; });

        // Arrivals not reported: they would measure this loop's microseconds as the round trip (see the next test).
        var granted = Drain(tuner, 200, reportArrivals: false);

        tuner.Window.Should().Be(64, "8 → 16 → 32 → 64, then the maximum");
        tuner.Grown.Should().Be(56);
        reserved.Should().Be(56, "every chunk of growth was reserved from the budget first");
        granted.Should().BeInRange(200 + 56 - (64 / 2), 200 + 56, "drained chunks come back as credit (the last under half a window not yet), plus the growth");
    }

    [Fact]
    public void Tuner_ArrivalsRightAfterGrants_MeasureAShortRoundTripAndStopGrowing()
    {
        var roundTrip = RoundTrip(TimeSpan.FromSeconds(10));
        var tuner = new CreditWindowTuner(8, 1024, roundTrip, _ => true);

        Drain(tuner, 400);

        roundTrip.Value.Should().BeLessThan(TimeSpan.FromSeconds(1), "each grant's first chunk arrived at once: a short round trip");
        tuner.Window.Should().BeLessThan(1024, "with a short round trip a window drained at this pace is large enough");
    }

    [Fact]
    public void Tuner_DrainSlowerThanHalfRoundTrip_KeepsItsWindow()
    {
        var asked = 0;
        var tuner = new CreditWindowTuner(8, 256, RoundTrip(TimeSpan.FromTicks(1)), chunks => { asked++; return true; });

        var granted = Drain(tuner, 200);

        tuner.Window.Should().Be(8, "a reader slower than the link is not held back by credit");
        asked.Should().Be(0);
        granted.Should().Be(200);
    }

    [Fact]
    public void Tuner_BudgetRefuses_KeepsItsWindow()
    {
        var tuner = new CreditWindowTuner(8, 256, RoundTrip(TimeSpan.FromSeconds(10)), _ => false);

        var granted = Drain(tuner, 100);

        tuner.Window.Should().Be(8);
        granted.Should().Be(100);
    }

    [Fact]
    public void Tuner_NoRoundTripYet_KeepsItsWindow()
    {
        var tuner = new CreditWindowTuner(8, 256, new RoundTripEstimate(), _ => true);

        Drain(tuner, 4);

        tuner.Window.Should().Be(8, "without a measured round trip there is nothing to compare the drain with");
    }

    [Fact]
    public void RoundTripEstimate_TakesTheSmallestSample()
    {
        var estimate = new RoundTripEstimate();
        var now = Stopwatch.GetTimestamp();
        estimate.Value.Should().BeNull();

        estimate.Add(Ticks(TimeSpan.FromMilliseconds(80)), now);
        estimate.Add(Ticks(TimeSpan.FromMilliseconds(50)), now);
        estimate.Add(Ticks(TimeSpan.FromMilliseconds(70)), now);

        estimate.Value.Should().BeCloseTo(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(1));
    }

    private static RoundTripEstimate RoundTrip(TimeSpan value)
    {
        var estimate = new RoundTripEstimate();
        estimate.Add(Math.Max(1, Ticks(value)), Stopwatch.GetTimestamp());
        return estimate;
    }

    private static long Ticks(TimeSpan value) => (long)(value.TotalSeconds * Stopwatch.Frequency);

    /// <summary>Chunks arrive and drain one by one; returns the credit granted back in all.</summary>
    private static int Drain(CreditWindowTuner tuner, int chunks, bool reportArrivals = true)
    {
        var granted = 0;
        for (var i = 0; i < chunks; i++)
        {
            if (reportArrivals)
            {
                tuner.ChunkArrived();
            }

            granted += tuner.ChunkDrained();
        }

        return granted;
    }
}
