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
            PublicScheme = "https",
            PublicHost = "tunnel.example.com:8443",
            CallerAddress = "2001:db8::1",
        };

        var copy = MessagePackSerializer.Deserialize<ForwardRequest>(MessagePackSerializer.Serialize(message, Options), Options);

        copy.Should().BeEquivalentTo(message, o => o.WithStrictOrdering());
    }

    [Fact]
    public void ForwardRequest_FromOlderServer_HasNoPublicView()
    {
        // An older server sends keys 0-5 only: an array of six.
        var older = new ForwardRequest { RequestId = Guid.NewGuid(), Method = "GET", PathAndQuery = "/", Headers = [], InitialCredits = 8 };
        var bytes = MessagePackSerializer.Serialize(older, Options);
        var sixOnly = TruncateArray(bytes, 6);

        var copy = MessagePackSerializer.Deserialize<ForwardRequest>(sixOnly, Options);

        copy.RequestId.Should().Be(older.RequestId);
        copy.PublicScheme.Should().BeNull();
        copy.PublicHost.Should().BeNull();
        copy.CallerAddress.Should().BeNull();
    }

    [Fact]
    public void HttpHeader_ObsTextAsLatin1Chars_RoundTripsUnchanged()
    {
        // Raw UTF-8 bytes of "Café", one char per byte, as both sides read them.
        var value = System.Text.Encoding.Latin1.GetString(System.Text.Encoding.UTF8.GetBytes("attachment; filename=\"Café – Ü.flac\""));
        var message = new HttpHeader("Content-Disposition", value);

        var copy = MessagePackSerializer.Deserialize<HttpHeader>(MessagePackSerializer.Serialize(message, Options), Options);

        copy.Should().Be(message);
    }

    /// <summary>The serialized array with only its first <paramref name="count"/> elements (fixarray header rewritten).</summary>
    private static byte[] TruncateArray(byte[] bytes, int count)
    {
        var reader = new MessagePackReader(bytes);
        reader.ReadArrayHeader();
        for (var i = 0; i < count; i++)
        {
            reader.Skip();
        }

        var end = (int)reader.Consumed;
        return [(byte)(0x90 | count), .. bytes.AsSpan(1, end - 1)];
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
    [InlineData(ForwardFailureKind.OriginInvalidResponse)]
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
