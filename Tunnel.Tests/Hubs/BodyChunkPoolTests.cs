using System.Buffers;
using System.Runtime.InteropServices;
using MessagePack;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tunnel.Contracts.Messages;
using Tunnel.Server.Hosting;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Hubs;

/// <summary>
/// The server copies the large body chunks agents send into the 64 KiB blocks of its block cache (Hosting), so that
/// the chunks many streams keep in flight are reused rather than left to the GC (issue 13); a small chunk stays out
/// of them, or a buffered response, which holds every chunk and counts its length, would hold up to 64 times what it
/// counts. Read through the hub protocol options of the real server, the way SignalR reads a stream item.
/// </summary>
public sealed class BodyChunkPoolTests
{
    [Theory]
    [InlineData(32_769)]
    [InlineData(65_536)]
    public async Task LargeChunkFromAgent_LivesInABlockOfTheCache_AndGoesBackToIt(int length)
    {
        await using var server = await TunnelServer.StartAsync();
        var blocks = server.Services.GetRequiredService<LargeBlockMemoryPoolFactory>();
        var bytes = Pattern(length);
        var wire = MessagePackSerializer.Serialize(bytes, HubOptions(server));
        // Empty the cache, so that the chunk's block is a new one and its return shows.
        using var pool = blocks.Create();
        var held = new List<IMemoryOwner<byte>>();
        while (blocks.FreeBlocks > 0)
        {
            held.Add(pool.Rent());
        }

        var chunk = MessagePackSerializer.Deserialize<BodyChunk>(wire, HubOptions(server));

        chunk.Memory.ToArray().Should().Equal(bytes);
        MemoryMarshal.TryGetArray(chunk.Memory, out var segment).Should().BeTrue();
        segment.Array!.Length.Should().Be(LargeBlockMemoryPoolFactory.BlockSize);
        blocks.FreeBlocks.Should().Be(0);
        chunk.Return();
        chunk.Return();
        blocks.FreeBlocks.Should().Be(1, "the chunk's block went back to the cache, once");
        held.ForEach(b => b.Dispose());
    }

    [Theory]
    [InlineData(17)]
    [InlineData(32_768)]
    public async Task SmallChunkFromAgent_DoesNotTakeAWholeBlock(int length)
    {
        await using var server = await TunnelServer.StartAsync();
        var bytes = Pattern(length);

        var chunk = MessagePackSerializer.Deserialize<BodyChunk>(MessagePackSerializer.Serialize(bytes, HubOptions(server)), HubOptions(server));

        chunk.Memory.ToArray().Should().Equal(bytes);
        MemoryMarshal.TryGetArray(chunk.Memory, out var segment).Should().BeTrue();
        segment.Array!.Length.Should().BeLessThanOrEqualTo(2 * length, "a pooled array rounded up to a power of two at most");
        chunk.Return();
    }

    private static MessagePackSerializerOptions HubOptions(TunnelServer server) =>
        server.Services.GetRequiredService<IOptions<MessagePackHubProtocolOptions>>().Value.SerializerOptions;

    private static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }
}
