using Tunnel.Server.Hosting;

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
        using var pool = new LargeBlockMemoryPool(new LargeBlockCache(64 * 1024, 4));

        using var block = pool.Rent(size);

        block.Memory.Length.Should().Be(64 * 1024);
    }

    [Fact]
    public void Rent_MoreThanABlock_GivesAtLeastThatMuch_Unpooled()
    {
        var cache = new LargeBlockCache(4096, 4);
        using var pool = new LargeBlockMemoryPool(cache);

        var big = pool.Rent(10_000);
        big.Memory.Length.Should().BeGreaterThanOrEqualTo(10_000);
        big.Dispose();

        cache.Count.Should().Be(0, "the oversized block is not kept");
    }

    [Fact]
    public void Return_ThenRent_ReusesTheBlock()
    {
        using var pool = new LargeBlockMemoryPool(new LargeBlockCache(4096, 4));
        var first = pool.Rent();
        var memory = first.Memory;
        first.Dispose();

        using var again = pool.Rent();

        again.Memory.Equals(memory).Should().BeTrue();
    }

    [Fact]
    public void Return_BeyondTheBound_IsNotKept_AcrossAllPoolsOfOneCache()
    {
        var cache = new LargeBlockCache(4096, 3);
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
    public void Rent_AfterDispose_Throws()
    {
        var pool = new LargeBlockMemoryPool(new LargeBlockCache(4096, 1));
        pool.Dispose();

        pool.Invoking(p => p.Rent()).Should().Throw<ObjectDisposedException>();
    }
}
