using Tunnel.Server.Hosting;

namespace Tunnel.Tests.Hosting;

/// <summary>The pool Kestrel reads into (issue 13): large blocks, reused, and never more than its bound kept.</summary>
public sealed class LargeBlockMemoryPoolTests
{
    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(2048)]
    [InlineData(64 * 1024)]
    public void Rent_GivesAWholeBlock(int size)
    {
        using var pool = new LargeBlockMemoryPool(64 * 1024, 4);

        using var block = pool.Rent(size);

        block.Memory.Length.Should().Be(64 * 1024);
    }

    [Fact]
    public void Rent_MoreThanABlock_GivesAtLeastThatMuch_Unpooled()
    {
        using var pool = new LargeBlockMemoryPool(4096, 4);

        var big = pool.Rent(10_000);
        big.Memory.Length.Should().BeGreaterThanOrEqualTo(10_000);
        big.Dispose();

        using var next = pool.Rent();
        next.Memory.Length.Should().Be(4096, "the oversized block was not kept as a pooled block");
    }

    [Fact]
    public void Return_ThenRent_ReusesTheBlock()
    {
        using var pool = new LargeBlockMemoryPool(4096, 4);
        var first = pool.Rent();
        first.Memory.Span[0] = 42;
        var memory = first.Memory;
        first.Dispose();

        using var again = pool.Rent();

        again.Memory.Equals(memory).Should().BeTrue();
    }

    [Fact]
    public void Return_BeyondTheBound_IsNotKept()
    {
        using var pool = new LargeBlockMemoryPool(4096, 2);
        var blocks = Enumerable.Range(0, 5).Select(_ => pool.Rent()).ToList();
        var memories = blocks.Select(b => b.Memory).ToList();
        blocks.ForEach(b => b.Dispose());

        var reused = Enumerable.Range(0, 5).Select(_ => pool.Rent().Memory).Count(m => memories.Any(old => old.Equals(m)));

        reused.Should().Be(2);
    }
}
