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
/// The server copies the body chunks agents send into the 64 KiB blocks of its block cache (Hosting), so that the
/// chunks many streams keep in flight are reused rather than left to the GC (issue 13). Read through the hub
/// protocol options of the real server, the way SignalR reads a stream item.
/// </summary>
public sealed class BodyChunkPoolTests
{
    [Theory]
    [InlineData(17)]
    [InlineData(65_536)]
    public async Task ChunkFromAgent_LivesInABlockOfTheCache_AndGoesBackToIt(int length)
    {
        await using var server = await TunnelServer.StartAsync();
        var options = server.Services.GetRequiredService<IOptions<MessagePackHubProtocolOptions>>().Value.SerializerOptions;
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        var wire = MessagePackSerializer.Serialize(bytes, options);

        var chunk = MessagePackSerializer.Deserialize<BodyChunk>(wire, options);

        chunk.Memory.ToArray().Should().Equal(bytes);
        MemoryMarshal.TryGetArray(chunk.Memory, out var segment).Should().BeTrue();
        segment.Array!.Length.Should().Be(LargeBlockMemoryPoolFactory.BlockSize,
            "a chunk of any size is held in one block of the cache, not in an array of its own size");
        var block = segment.Array;
        chunk.Return();

        var next = MessagePackSerializer.Deserialize<BodyChunk>(wire, options);
        MemoryMarshal.TryGetArray(next.Memory, out var again).Should().BeTrue();
        again.Array.Should().BeSameAs(block, "a returned chunk's block is the next one handed out");
        next.Return();
    }
}
