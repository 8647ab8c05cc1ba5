using MessagePack;
using Microsoft.AspNetCore.SignalR;
using Tunnel.Contracts.Messages;

namespace Tunnel.Tests.Contracts;

/// <summary>Every message survives SignalR's MessagePack serializer options unchanged.</summary>
public sealed class MessageRoundTripTests
{
    private static readonly MessagePackSerializerOptions Options = new MessagePackHubProtocolOptions().SerializerOptions;

    [Fact]
    public void ForwardRequest_RoundTrips()
    {
        var message = new ForwardRequest
        {
            RequestId = Guid.NewGuid(),
            Method = "PATCH",
            PathAndQuery = "/a%2Fb/%C3%A9?x=1+2&clientId=c",
            Headers = [new HttpHeader("Accept", "*/*"), new HttpHeader("X-Many", "1"), new HttpHeader("X-Many", "2")],
            HasBody = true,
            InitialCredits = 8,
        };

        var copy = MessagePackSerializer.Deserialize<ForwardRequest>(MessagePackSerializer.Serialize(message, Options), Options);

        copy.Should().BeEquivalentTo(message, o => o.WithStrictOrdering());
    }

    [Fact]
    public void ResponseHead_RoundTrips()
    {
        var message = new ResponseHead
        {
            StatusCode = 206,
            Headers = [new HttpHeader("Content-Range", "bytes 0-9/100"), new HttpHeader("Set-Cookie", "a=1"), new HttpHeader("Set-Cookie", "b=2")],
        };

        var copy = MessagePackSerializer.Deserialize<ResponseHead>(MessagePackSerializer.Serialize(message, Options), Options);

        copy.Should().BeEquivalentTo(message, o => o.WithStrictOrdering());
    }

    [Theory]
    [InlineData(ForwardFailureKind.OriginUnreachable)]
    [InlineData(ForwardFailureKind.OriginTimeout)]
    [InlineData(ForwardFailureKind.AgentError)]
    public void ForwardFailure_RoundTrips(ForwardFailureKind kind)
    {
        var message = new ForwardFailure(kind, "detail ü");

        var copy = MessagePackSerializer.Deserialize<ForwardFailure>(MessagePackSerializer.Serialize(message, Options), Options);

        copy.Should().Be(message);
    }

    [Theory]
    [InlineData("moosicboxProfile=master&authorization=a%20b", "master")]
    [InlineData("", null)]
    public void RelayOpen_RoundTrips(string query, string? profile)
    {
        var message = new RelayOpen { RelayId = Guid.NewGuid(), Query = query, Profile = profile };

        var copy = MessagePackSerializer.Deserialize<RelayOpen>(MessagePackSerializer.Serialize(message, Options), Options);

        copy.Should().Be(message);
    }

    [Theory]
    [InlineData(true, true, 0)]
    [InlineData(false, false, 65536)]
    public void RelayFrame_RoundTrips(bool text, bool endOfMessage, int size)
    {
        var message = new RelayFrame(text, endOfMessage, System.Security.Cryptography.RandomNumberGenerator.GetBytes(size));

        var copy = MessagePackSerializer.Deserialize<RelayFrame>(MessagePackSerializer.Serialize(message, Options), Options);

        copy.Text.Should().Be(text);
        copy.EndOfMessage.Should().Be(endOfMessage);
        copy.Data.Should().Equal(message.Data);
    }
}
