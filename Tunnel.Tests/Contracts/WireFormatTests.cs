using MessagePack;
using Microsoft.AspNetCore.SignalR;
using Tunnel.Contracts.Messages;

namespace Tunnel.Tests.Contracts;

/// <summary>
/// The contract's hand-written formatters (Tunnel.Contracts/Wire) write exactly the bytes the attribute-based
/// definitions before them did (<c>[MessagePackObject]</c> with integer keys, serialized through SignalR's default
/// options: enums by name, GUIDs as 36-char strings). The hex strings below were captured from that build, so agents
/// and servers from before the change keep understanding new ones, both ways.
/// </summary>
public sealed class WireFormatTests
{
    private static readonly MessagePackSerializerOptions Options = new MessagePackHubProtocolOptions().SerializerOptions;
    private static readonly Guid Id = Guid.Parse("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");

    private const string IdHex = "D92430663165326433632D346235612D363937382D383739362D613562346333643265316630";

    public static TheoryData<string, object, string> Messages() => new()
    {
        {
            "ForwardRequest, every field",
            new ForwardRequest
            {
                RequestId = Id, Method = "GET", PathAndQuery = "/a?b=1", Headers = [new HttpHeader("Accept", "*/*"), new HttpHeader("X", "é")],
                HasBody = true, InitialCredits = 8, PublicScheme = "https", PublicHost = "h:1", CallerAddress = "::1",
            },
            "99" + IdHex + "A3474554A62F613F623D319292A6416363657074A32A2F2A92A158A2C3A9C308A56874747073A3683A31A33A3A31"
        },
        {
            "ForwardRequest, optional fields unset",
            new ForwardRequest { RequestId = Id, Method = "GET", PathAndQuery = "/", Headers = [] },
            "99" + IdHex + "A3474554A12F90C200C0C0C0"
        },
        {
            "ResponseHead",
            new ResponseHead { StatusCode = 206, Headers = [new HttpHeader("Content-Range", "bytes 0-1/2")] },
            "92CCCE9192AD436F6E74656E742D52616E6765AB627974657320302D312F32"
        },
        { "ForwardFailure", new ForwardFailure(ForwardFailureKind.OriginTimeout, "slow"), "92AD4F726967696E54696D656F7574A4736C6F77" },
        { "RelayFrame", new RelayFrame(true, false, [1, 2, 3]), "93C3C2C403010203" },
        { "RelayOpen with a profile", new RelayOpen { RelayId = Id, Query = "?a=1", Profile = "p" }, "93" + IdHex + "A43F613D31A170" },
        { "RelayOpen without a profile", new RelayOpen { RelayId = Id, Query = "" }, "93" + IdHex + "A0C0" },
        { "HttpHeader", new HttpHeader("A", "b"), "92A141A162" },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Serialize_WritesTheBytesOfTheAttributeBasedContract(string name, object message, string hex)
    {
        var bytes = MessagePackSerializer.Serialize(message.GetType(), message, Options);

        Convert.ToHexString(bytes).Should().Be(hex, name);
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Deserialize_ReadsTheBytesOfTheAttributeBasedContract(string name, object message, string hex)
    {
        var copy = MessagePackSerializer.Deserialize(message.GetType(), Convert.FromHexString(hex), Options);

        copy.Should().BeEquivalentTo(message, o => o.WithStrictOrdering().RespectingRuntimeTypes(), name);
    }

    [Fact]
    public void Deserialize_FieldsANewerPeerAppends_AreSkipped()
    {
        // [StatusCode, Headers, 42, [1, 2]]: two fields this side does not know yet.
        var bytes = Convert.FromHexString("94CCCE90" + "2A" + "920102");

        var head = MessagePackSerializer.Deserialize<ResponseHead>(bytes, Options);

        head.StatusCode.Should().Be(206);
        head.Headers.Should().BeEmpty();
    }

    [Fact]
    public void Deserialize_FromAnOlderPeer_LeavesTheFieldsItLacksUnset()
    {
        // A RelayOpen of two fields, [RelayId, Query]: no profile yet.
        var open = MessagePackSerializer.Deserialize<RelayOpen>(Convert.FromHexString("92" + IdHex + "A3613D31"), Options);

        open.Should().Be(new RelayOpen { RelayId = Id, Query = "a=1" });
    }

    [Fact]
    public void Deserialize_MissingRequiredFields_Throws()
    {
        // A ResponseHead of one field: no headers.
        var act = () => MessagePackSerializer.Deserialize<ResponseHead>(Convert.FromHexString("91CCCE"), Options);

        act.Should().Throw<MessagePackSerializationException>().WithInnerException<MessagePackSerializationException>()
            .WithMessage("*ResponseHead has 1 fields; at least 2 are required*");
    }

    [Theory]
    [InlineData("A94167656E7442757379", ForwardFailureKind.AgentBusy)] // "AgentBusy"
    [InlineData("03", ForwardFailureKind.AgentBusy)] // by number
    [InlineData("AA4E657765724B696E643F", ForwardFailureKind.AgentError)] // "NewerKind?" from a newer peer
    [InlineData("63", ForwardFailureKind.AgentError)] // 99
    public void ForwardFailureKind_ReadsNamesAndNumbers_UnknownAsAgentError(string kindHex, ForwardFailureKind expected)
    {
        var failure = MessagePackSerializer.Deserialize<ForwardFailure>(Convert.FromHexString("92" + kindHex + "A178"), Options);

        failure.Should().Be(new ForwardFailure(expected, "x"));
    }
}
