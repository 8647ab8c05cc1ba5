using System.Diagnostics;
using Tunnel.Contracts.Protocol;

namespace Tunnel.Tests.Forwarding;

/// <summary>
/// The window rule alone, with the round trip set by hand: a reader that waits for chunks and drains half a window in
/// well under half a round trip doubles its window up to the maximum, as far as the budget allows; one that drains
/// slower, or always finds the next chunk already queued, never grows; a grown window whose reader becomes the
/// bottleneck halves back to the initial window and gives its growth back. After every chunk the sender has at most
/// a window outstanding and every chunk drained is granted back within half a window, except what the window shrank by.
/// </summary>
public sealed class CreditWindowTunerTests
{
    [Fact]
    public void Tuner_ReaderWaitsAndDrainsFastOverLongRoundTrip_DoublesUpToMax()
    {
        var budget = new Budget();
        var tuner = new CreditWindowTuner(8, 64, RoundTrip(TimeSpan.FromSeconds(10)), budget.TryReserve, budget.Release);
        var reader = new Reader(tuner);

        var granted = reader.Drain(200, reader.WaitsExceptForGrantTimers);

        tuner.Window.Should().Be(64, "8 → 16 → 32 → 64, then the maximum");
        tuner.Grown.Should().Be(56);
        budget.Reserved.Should().Be(56, "every chunk of growth was reserved from the budget first");
        granted.Should().BeInRange(200 + 56 - (64 / 2), 200 + 56, "drained chunks come back as credit (the last under half a window not yet), plus the growth");
    }

    [Fact]
    public void Tuner_ReaderAlwaysFindsChunksQueued_NeverGrowsEvenOverLongRoundTrip()
    {
        var asked = 0;
        var tuner = new CreditWindowTuner(8, 64, RoundTrip(TimeSpan.FromSeconds(10)), _ => { asked++; return true; }, _ => { });
        var reader = new Reader(tuner);

        var granted = reader.Drain(200, Reader.NeverWaits);

        tuner.Window.Should().Be(8, "a reader that never waits for a chunk is the bottleneck, not the credit, however fast it drains");
        asked.Should().Be(0);
        granted.Should().Be(200);
    }

    [Fact]
    public void Tuner_GrownWindowThenReaderIsTheBottleneck_HalvesBackToInitialAndReleasesTheGrowth()
    {
        var budget = new Budget();
        var tuner = new CreditWindowTuner(8, 64, RoundTrip(TimeSpan.FromSeconds(10)), budget.TryReserve, budget.Release);
        var reader = new Reader(tuner);
        reader.Drain(200, reader.WaitsExceptForGrantTimers);
        tuner.Window.Should().Be(64);
        budget.Reserved.Should().Be(56);

        reader.Drain(32, Reader.NeverWaits);
        tuner.Window.Should().Be(64, "half a window without a wait is not yet proof that the reader is the bottleneck");

        reader.Drain(200, Reader.NeverWaits);

        reader.Shrinks.Select(s => s.Window).Should().Equal([32, 16, 8], "the window halves down to the initial one");
        reader.Shrinks[0].Chunk.Should().BeGreaterThanOrEqualTo(reader.LastWait + 64, "the first halving needs a whole window of chunks found queued");
        reader.Shrinks.Zip(reader.Shrinks.Skip(1)).Should().OnlyContain(p => p.Second.Chunk - p.First.Chunk >= p.First.Window,
            "the chunks queued after a halving were sent under the larger window: each further halving needs a whole window more");
        tuner.Window.Should().Be(8);
        tuner.Grown.Should().Be(0);
        budget.Reserved.Should().Be(0, "the growth went back to the budget as the window shrank");
    }

    [Fact]
    public void Tuner_OddWindowShrinks_WithholdsAtMostTheGrantAndStopsAtTheInitialWindow()
    {
        var budget = new Budget();
        var tuner = new CreditWindowTuner(6, 27, RoundTrip(TimeSpan.FromSeconds(10)), budget.TryReserve, budget.Release);
        var reader = new Reader(tuner);
        reader.Drain(100, reader.WaitsExceptForGrantTimers);
        tuner.Window.Should().Be(27, "6 → 12 → 24, then 3 more to the maximum");

        reader.Drain(200, Reader.NeverWaits);

        reader.Shrinks.Select(s => s.Window).Should().Equal([14, 7, 6],
            "27 gives back only the 13 chunks being granted, not 14; 7 halves no lower than the initial 6");
        budget.Reserved.Should().Be(0);
    }

    [Fact]
    public void Tuner_GrownWindowWhoseReaderWaitsOncePerWindow_KeepsItsWindow()
    {
        var budget = new Budget();
        var tuner = new CreditWindowTuner(8, 64, RoundTrip(TimeSpan.FromSeconds(10)), budget.TryReserve, budget.Release);
        var reader = new Reader(tuner);
        reader.Drain(200, reader.WaitsExceptForGrantTimers);

        // Waits for a chunk in every 60 (two in a row: one of them may time a grant), as a reader held back by credit does
        // once per round trip.
        reader.Drain(600, chunk => chunk % 60 is 0 or 1 && !reader.TimesAGrant(chunk));

        reader.Shrinks.Should().BeEmpty("credit still holds this sender back, so the window must not shrink");
        tuner.Window.Should().Be(64);
        budget.Reserved.Should().Be(56);
    }

    [Fact]
    public void Tuner_ArrivalsRightAfterGrants_MeasureAShortRoundTripAndStopGrowing()
    {
        var roundTrip = RoundTrip(TimeSpan.FromSeconds(10));
        var tuner = new CreditWindowTuner(8, 1024, roundTrip, _ => true, _ => { });

        new Reader(tuner).Drain(400, Reader.AlwaysWaits);

        roundTrip.Value.Should().BeLessThan(TimeSpan.FromSeconds(1), "each grant's first chunk arrived at once: a short round trip");
        tuner.Window.Should().BeLessThan(1024, "with a short round trip a window drained at this pace is large enough");
    }

    [Fact]
    public void Tuner_DrainSlowerThanHalfRoundTrip_KeepsItsWindow()
    {
        var asked = 0;
        var tuner = new CreditWindowTuner(8, 256, RoundTrip(TimeSpan.FromTicks(1)), chunks => { asked++; return true; }, _ => { });

        var granted = new Reader(tuner).Drain(200, Reader.AlwaysWaits);

        tuner.Window.Should().Be(8, "a reader slower than the link is not held back by credit");
        asked.Should().Be(0);
        granted.Should().Be(200);
    }

    [Fact]
    public void Tuner_BudgetRefuses_KeepsItsWindow()
    {
        var tuner = new CreditWindowTuner(8, 256, RoundTrip(TimeSpan.FromSeconds(10)), _ => false, _ => { });
        var reader = new Reader(tuner);

        var granted = reader.Drain(100, reader.WaitsExceptForGrantTimers);

        tuner.Window.Should().Be(8);
        granted.Should().Be(100);
    }

    [Fact]
    public void Tuner_NoRoundTripYet_KeepsItsWindow()
    {
        var tuner = new CreditWindowTuner(8, 256, new RoundTripEstimate(), _ => true, _ => { });

        new Reader(tuner).Drain(4, Reader.AlwaysWaits);

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

    /// <summary>A budget that grants every reservation and counts what is held.</summary>
    private sealed class Budget
    {
        public int Reserved { get; private set; }

        public bool TryReserve(int chunks)
        {
            Reserved += chunks;
            return true;
        }

        public void Release(int chunks) => Reserved -= chunks;
    }

    private static RoundTripEstimate RoundTrip(TimeSpan value)
    {
        var estimate = new RoundTripEstimate();
        estimate.Add(Math.Max(1, Ticks(value)), Stopwatch.GetTimestamp());
        return estimate;
    }

    private static long Ticks(TimeSpan value) => (long)(value.TotalSeconds * Stopwatch.Frequency);

    /// <summary>
    /// A reader loop over a tuner: chunks arrive and drain one by one, the reader waiting for those a given rule says.
    /// Checks the credit invariants after every chunk and records every shrink.
    /// </summary>
    private sealed class Reader(CreditWindowTuner tuner)
    {
        private readonly int _initialWindow = tuner.Window;
        private readonly HashSet<long> _grantTimers = [];
        private long _arrived;
        private long _credit = tuner.Window;

        public static Func<long, bool> AlwaysWaits { get; } = _ => true;

        public static Func<long, bool> NeverWaits { get; } = _ => false;

        /// <summary>The chunk after which the window shrank, and the window it shrank to.</summary>
        public List<(long Chunk, int Window)> Shrinks { get; } = [];

        /// <summary>The last chunk the reader waited for.</summary>
        public long LastWait { get; private set; }

        /// <summary>
        /// Waits for every chunk except the first each grant let the sender send: a wait for that one times the grant,
        /// and here, where no time passes, it would set the round trip to this loop's microseconds (see
        /// <see cref="Tuner_ArrivalsRightAfterGrants_MeasureAShortRoundTripAndStopGrowing"/>).
        /// </summary>
        public bool WaitsExceptForGrantTimers(long chunk) => !TimesAGrant(chunk);

        public bool TimesAGrant(long chunk) => _grantTimers.Contains(chunk);

        /// <summary>Drains <paramref name="chunks"/> more (numbered on from 1); returns the credit granted back.</summary>
        public int Drain(int chunks, Func<long, bool> waited)
        {
            var granted = 0;
            for (var i = 0; i < chunks; i++)
            {
                _arrived++;
                var waits = waited(_arrived);
                LastWait = waits ? _arrived : LastWait;
                tuner.ChunkArrived(waits);
                var before = tuner.Window;
                var grant = tuner.ChunkDrained();
                grant.Should().BeGreaterThanOrEqualTo(0);
                if (grant > 0)
                {
                    _grantTimers.Add(_credit + 1);
                    _credit += grant;
                    granted += grant;
                }

                var outstanding = _credit - _arrived;
                outstanding.Should().BeLessThanOrEqualTo(tuner.Window, "the sender never has more credit outstanding than the window");
                outstanding.Should().BeGreaterThan(tuner.Window - (tuner.Window / 2),
                    "every chunk drained is granted back within half a window, except exactly what the window shrank by");
                tuner.Window.Should().BeGreaterThanOrEqualTo(_initialWindow);
                tuner.Grown.Should().Be(tuner.Window - _initialWindow);
                if (tuner.Window < before)
                {
                    Shrinks.Add((_arrived, tuner.Window));
                }
            }

            return granted;
        }
    }
}
