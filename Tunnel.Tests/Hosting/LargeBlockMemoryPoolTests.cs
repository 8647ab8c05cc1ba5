using Tunnel.Server.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Tunnel.Tests.Hosting;

/// <summary>The pools Kestrel reads into (issue 13): large blocks, reused, and never more than one bound kept for all.</summary>
public sealed class LargeBlockMemoryPoolTests
{
    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(2048)]
    [InlineData(64 * 1024)]
    public void Rent_GivesAWholeBlock(int size)
    {
        using var cache = new LargeBlockCache(64 * 1024, 4);
        using var pool = new LargeBlockMemoryPool(cache);

        using var block = pool.Rent(size);

        block.Memory.Length.Should().Be(64 * 1024);
    }

    [Fact]
    public void Rent_MoreThanABlock_GivesAtLeastThatMuch_Unpooled()
    {
        using var cache = new LargeBlockCache(4096, 4);
        using var pool = new LargeBlockMemoryPool(cache);

        var big = pool.Rent(10_000);
        big.Memory.Length.Should().BeGreaterThanOrEqualTo(10_000);
        big.Dispose();

        cache.Count.Should().Be(0, "the oversized block is not kept");
    }

    [Fact]
    public void Return_ThenRent_ReusesTheBlock()
    {
        using var cache = new LargeBlockCache(4096, 4);
        using var pool = new LargeBlockMemoryPool(cache);
        var first = pool.Rent();
        var memory = first.Memory;
        first.Dispose();

        using var again = pool.Rent();

        again.Memory.Equals(memory).Should().BeTrue();
    }

    [Fact]
    public void DisposedTwice_IsKeptOnce_AndNeverHandedToTwoOwners()
    {
        using var cache = new LargeBlockCache(4096, 4);
        using var pool = new LargeBlockMemoryPool(cache);
        var block = pool.Rent();
        block.Dispose();
        block.Dispose();

        cache.Count.Should().Be(1);
        using var first = pool.Rent();
        using var second = pool.Rent();
        first.Memory.Equals(second.Memory).Should().BeFalse();
    }

    [Fact]
    public void Return_BeyondTheBound_IsNotKept_AcrossAllPoolsOfOneCache()
    {
        using var cache = new LargeBlockCache(4096, 3);
        using var first = new LargeBlockMemoryPool(cache);
        using var second = new LargeBlockMemoryPool(cache);
        var blocks = Enumerable.Range(0, 4).Select(_ => first.Rent()).Concat(Enumerable.Range(0, 4).Select(_ => second.Rent())).ToList();
        var memories = blocks.Select(b => b.Memory).ToList();

        blocks.ForEach(b => b.Dispose());

        cache.Count.Should().Be(3);
        var reused = Enumerable.Range(0, 8).Select(_ => second.Rent().Memory).Count(m => memories.Any(old => old.Equals(m)));
        reused.Should().Be(3);
    }

    [Fact]
    public void Trim_DropsHalfOfWhatStayedFreeAWholePeriod()
    {
        using var cache = new LargeBlockCache(4096, 64);
        var blocks = Enumerable.Range(0, 8).Select(_ => cache.Take()).ToList();
        blocks.ForEach(b => b.Dispose());

        cache.Trim();
        cache.Count.Should().Be(8, "the first period starts now: nothing was seen unused yet");
        cache.Trim();
        cache.Count.Should().Be(4);
        cache.Trim();
        cache.Count.Should().Be(2);
        cache.Trim();
        cache.Trim();
        cache.Count.Should().Be(0, "an idle cache empties");
    }

    [Fact]
    public void Trim_KeepsWhatWasInUseDuringThePeriod()
    {
        using var cache = new LargeBlockCache(4096, 64);
        Enumerable.Range(0, 8).Select(_ => cache.Take()).ToList().ForEach(b => b.Dispose());
        cache.Trim();

        // Busy: 7 of the 8 free blocks taken and given back within the period; only one stayed free throughout.
        var busy = Enumerable.Range(0, 7).Select(_ => cache.Take()).ToList();
        busy.ForEach(b => b.Dispose());
        cache.Trim();

        cache.Count.Should().Be(7);
    }

    [Fact]
    public void Trim_RunsOnTheTimer()
    {
        var time = new FakeTimeProvider();
        using var cache = new LargeBlockCache(4096, 64, time, TimeSpan.FromSeconds(5));
        Enumerable.Range(0, 4).Select(_ => cache.Take()).ToList().ForEach(b => b.Dispose());

        time.Advance(TimeSpan.FromSeconds(5));
        time.Advance(TimeSpan.FromSeconds(5));

        cache.Count.Should().Be(2);
    }

    [Fact]
    public void Trim_AsksForAFullCollectionOnceEnoughWasDropped()
    {
        var asked = 0;
        // 4 KiB blocks, 4 retained, a collection asked for once 16 KiB (4 blocks) were dropped.
        using var cache = new LargeBlockCache(4096, 4, collectThreshold: 4 * 4096, collectGarbage: _ => asked++);
        Enumerable.Range(0, 6).Select(_ => cache.Take()).ToList().ForEach(b => b.Dispose());
        cache.DroppedBytes.Should().Be(2 * 4096, "two blocks came back beyond the bound of four");

        cache.Trim();
        asked.Should().Be(0, "8 KiB dropped is under the threshold (and the free blocks were in use this period)");

        cache.Trim();
        asked.Should().Be(1, "half of the four idle blocks dropped: 16 KiB in all");
        cache.DroppedBytes.Should().Be(0, "the request starts the count again");

        cache.Trim();
        asked.Should().Be(1, "one more block is 4 KiB");
    }

    [Fact]
    public void Trim_WhileEveryBlockIsInUse_DoesNotAskForACollection()
    {
        var asked = 0;
        using var cache = new LargeBlockCache(4096, 1, collectThreshold: 2 * 4096, collectGarbage: _ => asked++);
        // Sustained load: more blocks than the bound come and go every period, none stays free throughout.
        for (var period = 0; period < 3; period++)
        {
            Enumerable.Range(0, 4).Select(_ => cache.Take()).ToList().ForEach(b => b.Dispose());
            cache.Trim();
        }

        cache.DroppedBytes.Should().BeGreaterThanOrEqualTo(2 * 4096, "blocks beyond the bound were dropped");
        asked.Should().Be(0, "no block stayed unused for a whole period: the load is still on");

        cache.Trim();
        asked.Should().Be(1, "the load is over: the one free block stayed unused, and enough was dropped");
    }

    [Fact]
    public void Trim_BurstsThatComeAndGo_AskAtMostOncePerInterval()
    {
        var askedAt = new List<int>();
        var trim = 0;
        using var cache = new LargeBlockCache(4096, 8, collectThreshold: 4 * 4096, collectGarbage: _ => askedAt.Add(trim),
            minTrimsBetweenCollections: 10);
        // Every other period a burst of 16 blocks (8 beyond the bound), then a quiet period: each quiet trim finds
        // blocks unused and enough dropped.
        for (trim = 1; trim <= 30; trim++)
        {
            if (trim % 2 == 1)
            {
                Enumerable.Range(0, 16).Select(_ => cache.Take()).ToList().ForEach(b => b.Dispose());
            }

            cache.Trim();
        }

        askedAt.Should().NotBeEmpty("the bursts dropped far more than the threshold");
        askedAt.Zip(askedAt.Skip(1)).Should().OnlyContain(p => p.Second - p.First >= 10, "at most one collection per 10 trims");
        askedAt.Count.Should().BeLessThanOrEqualTo(3);
    }

    [Fact]
    public void Trim_WithoutACollector_OnlyCounts()
    {
        using var cache = new LargeBlockCache(4096, 1);
        Enumerable.Range(0, 3).Select(_ => cache.Take()).ToList().ForEach(b => b.Dispose());

        cache.DroppedBytes.Should().Be(2 * 4096);
    }

    [Fact]
    public void Rent_AfterDispose_Throws()
    {
        using var cache = new LargeBlockCache(4096, 1);
        var pool = new LargeBlockMemoryPool(cache);
        pool.Dispose();

        pool.Invoking(p => p.Rent()).Should().Throw<ObjectDisposedException>();
    }
}
