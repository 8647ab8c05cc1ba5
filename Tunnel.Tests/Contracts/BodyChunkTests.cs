using MessagePack;
using Microsoft.AspNetCore.SignalR;
using Tunnel.Contracts.Messages;

namespace Tunnel.Tests.Contracts;

/// <summary>
/// <see cref="BodyChunk"/> is a MessagePack <c>bin</c> on the wire, the same bytes as a <c>byte[]</c>, so agents and
/// servers from before issue 13 still understand each other; a received chunk lives in a pooled array.
/// </summary>
public sealed class BodyChunkTests
{
    private static readonly MessagePackSerializerOptions Options = new MessagePackHubProtocolOptions().SerializerOptions;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(65_535)]
    [InlineData(65_536)]
    public void Serialize_IsByteForByteAByteArray(int length)
    {
        var bytes = Pattern(length);

        var asChunk = MessagePackSerializer.Serialize(BodyChunk.Borrow(bytes), Options);
        var asArray = MessagePackSerializer.Serialize(bytes, Options);

        asChunk.Should().Equal(asArray);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    [InlineData(65_536)]
    public void Deserialize_FromAByteArray_GivesTheSameBytes_ThenReturnEmptiesIt(int length)
    {
        var bytes = Pattern(length);

        var chunk = MessagePackSerializer.Deserialize<BodyChunk>(MessagePackSerializer.Serialize(bytes, Options), Options);

        chunk.Length.Should().Be(length);
        chunk.Memory.ToArray().Should().Equal(bytes);
        chunk.Return();
        chunk.Return();
        chunk.Length.Should().Be(0, "a returned chunk no longer shows the pooled array");
    }

    [Fact]
    public void Deserialize_Nil_IsNull()
    {
        MessagePackSerializer.Deserialize<BodyChunk?>(MessagePackSerializer.Serialize<byte[]?>(null, Options), Options).Should().BeNull();
    }

    [Fact]
    public void Borrow_DoesNotCopy_AndReturnLeavesTheCallersBuffer()
    {
        var buffer = Pattern(100);
        var chunk = BodyChunk.Borrow(buffer.AsMemory(10, 20));

        buffer[10] = 0xAB;
        chunk.Memory.Span[0].Should().Be(0xAB);
        chunk.Return();
        buffer.Should().HaveCount(100);
    }

    private static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }
}
