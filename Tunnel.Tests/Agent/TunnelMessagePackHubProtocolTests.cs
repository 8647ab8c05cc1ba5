using System.Buffers;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Tunnel.Agent.HubProtocol;
using Tunnel.Contracts.Hubs;
using Tunnel.Contracts.Messages;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Agent;

/// <summary>
/// The agent's own MessagePack hub protocol (Native AOT-safe) against SignalR's <see cref="MessagePackHubProtocol"/>,
/// which the server runs: for every kind of message and every argument type of the contract, both write the same
/// bytes, and each reads what the other writes.
/// </summary>
public sealed class TunnelMessagePackHubProtocolTests
{
    private static readonly Guid Id = Guid.Parse("7c9e6679-7425-40de-944b-e07fc1f90ae7");

    private readonly TunnelMessagePackHubProtocol _ours = new(new ContractFormatters());
    private readonly MessagePackHubProtocol _signalR = new();

    public static TheoryData<string, HubMessage> Messages()
    {
        var request = new ForwardRequest
        {
            RequestId = Id, Method = "POST", PathAndQuery = "/track?id=1", Headers = [new HttpHeader("Range", "bytes=0-")],
            HasBody = true, InitialCredits = 8, PublicScheme = "https", PublicHost = "t.example", CallerAddress = "203.0.113.7",
        };
        var head = new ResponseHead { StatusCode = 200, Headers = [new HttpHeader("Content-Type", "audio/flac")] };
        var chunk = new byte[70_000]; // a three-byte length prefix
        new Random(13).NextBytes(chunk);
        return new()
        {
            { "Forward, non-blocking, with headers", new InvocationMessage(null, nameof(ITunnelAgent.Forward), [request]) { Headers = new Dictionary<string, string> { ["h"] = "v" } } },
            { "Grant, blocking", new InvocationMessage("12", nameof(ITunnelAgent.Grant), [Id, 8]) },
            { "Displaced", new InvocationMessage(null, nameof(ITunnelAgent.Displaced), ["another agent"]) },
            { "Displaced, nil argument", new InvocationMessage(null, nameof(ITunnelAgent.Displaced), [null]) },
            { "OpenRelay", new InvocationMessage(null, nameof(ITunnelAgent.OpenRelay), [new RelayOpen { RelayId = Id, Query = "a=1" }]) },
            { "RelayToHome", new InvocationMessage(null, nameof(ITunnelAgent.RelayToHome), [Id, new RelayFrame(false, true, [0, 255])]) },
            { "Respond, with a stream", new InvocationMessage(null, nameof(ITunnelHub.Respond), [Id, head], ["0"]) },
            { "RespondComplete", new InvocationMessage(null, nameof(ITunnelHub.RespondComplete), [Id, head, chunk]) },
            { "Fail", new InvocationMessage(null, nameof(ITunnelHub.Fail), [Id, new ForwardFailure(ForwardFailureKind.OriginUnreachable, "refused")]) },
            { "Flush, no arguments", new InvocationMessage("3", nameof(ITunnelHub.Flush), []) },
            { "ReadRequestBody", new StreamInvocationMessage("4", nameof(ITunnelHub.ReadRequestBody), [Id, 8]) },
            { "stream item, a body chunk", new StreamItemMessage("0", BodyChunk.Borrow(chunk)) },
            { "stream item, a byte array", new StreamItemMessage("4", chunk[..100]) },
            { "completion, void", CompletionMessage.Empty("3") },
            { "completion, error", CompletionMessage.WithError("4", "boom") },
            { "completion, result", CompletionMessage.WithResult("5", 42) },
            { "cancel", new CancelInvocationMessage("4") },
            { "ping", PingMessage.Instance },
            { "close", CloseMessage.Empty },
            { "close, error, reconnect", new CloseMessage("server stopping", allowReconnect: true) },
            { "ack", new AckMessage(long.MaxValue) },
            { "sequence", new SequenceMessage(5) },
        };
    }

    [Fact]
    public void NameVersionAndFormat_MatchSignalRs()
    {
        _ours.Name.Should().Be(_signalR.Name);
        _ours.Version.Should().Be(_signalR.Version);
        _ours.TransferFormat.Should().Be(_signalR.TransferFormat);
        _ours.IsVersionSupported(1).Should().BeTrue();
        _ours.IsVersionSupported(_signalR.Version + 1).Should().Be(_signalR.IsVersionSupported(_signalR.Version + 1));
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Write_IsByteForByteSignalRs(string name, HubMessage message)
    {
        var ours = new ArrayBufferWriter<byte>();
        var theirs = new ArrayBufferWriter<byte>();

        _ours.WriteMessage(message, ours);
        _signalR.WriteMessage(message, theirs);

        Convert.ToHexString(ours.WrittenSpan).Should().Be(Convert.ToHexString(theirs.WrittenSpan), name);
        _ours.GetMessageBytes(message).ToArray().Should().Equal(theirs.WrittenSpan.ToArray(), name);
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Read_WhatSignalRWrites_GivesTheSameMessage(string name, HubMessage message)
    {
        var bytes = new ReadOnlySequence<byte>(_signalR.GetMessageBytes(message));

        _ours.TryParseMessage(ref bytes, new Binder(), out var parsed).Should().BeTrue(name);

        bytes.Length.Should().Be(0);
        Normalize(parsed!).Should().BeEquivalentTo(Normalize(message), o => o.RespectingRuntimeTypes().WithStrictOrdering(), name);
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Read_WhatArrivesInPieces_GivesTheSameMessage(string name, HubMessage message)
    {
        // Segments of 1, 3 and 7 bytes split the length prefix, strings (the target too) and binary payloads.
        foreach (var length in new[] { 1, 3, 7 })
        {
            var bytes = SegmentedSequence.Of(_signalR.GetMessageBytes(message), length);

            _ours.TryParseMessage(ref bytes, new Binder(), out var parsed).Should().BeTrue($"{name}, {length}-byte segments");

            bytes.Length.Should().Be(0);
            Normalize(parsed!).Should().BeEquivalentTo(Normalize(message), o => o.RespectingRuntimeTypes().WithStrictOrdering(), $"{name}, {length}-byte segments");
        }
    }

    [Fact]
    public void Read_TheCompletionOfFlush_ANilResultOfTypeObject_IsANullResult()
    {
        // Task Flush() on the server completes with a nil result; the client binds InvokeAsync's result as object.
        var bytes = new ReadOnlySequence<byte>(_signalR.GetMessageBytes(CompletionMessage.WithResult("3", null)));

        _ours.TryParseMessage(ref bytes, new Binder(typeof(object)), out var parsed).Should().BeTrue();

        var completion = parsed.Should().BeOfType<CompletionMessage>().Subject;
        completion.HasResult.Should().BeTrue();
        completion.Result.Should().BeNull();
        completion.Error.Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void SignalR_ReadsWhatWeWrite(string name, HubMessage message)
    {
        var bytes = new ReadOnlySequence<byte>(_ours.GetMessageBytes(message));

        _signalR.TryParseMessage(ref bytes, new Binder(), out var parsed).Should().BeTrue(name);

        Normalize(parsed!).Should().BeEquivalentTo(Normalize(message), o => o.RespectingRuntimeTypes().WithStrictOrdering(), name);
    }

    [Fact]
    public void TryParse_APartialMessage_WaitsForTheRest_ThenReadsSeveral()
    {
        var first = _signalR.GetMessageBytes(new StreamItemMessage("4", new byte[200])).ToArray();
        var second = _signalR.GetMessageBytes(PingMessage.Instance).ToArray();
        byte[] all = [.. first, .. second];

        for (var cut = 0; cut < first.Length; cut++)
        {
            var partial = new ReadOnlySequence<byte>(all, 0, cut);
            _ours.TryParseMessage(ref partial, new Binder(), out _).Should().BeFalse($"{cut} of {first.Length} bytes is not a message");
            partial.Length.Should().Be(cut, "nothing is consumed until a whole message is there");
        }

        var input = new ReadOnlySequence<byte>(all);
        _ours.TryParseMessage(ref input, new Binder(), out var item).Should().BeTrue();
        _ours.TryParseMessage(ref input, new Binder(), out var ping).Should().BeTrue();
        item.Should().BeOfType<StreamItemMessage>().Which.Item.Should().BeOfType<byte[]>().Which.Should().HaveCount(200);
        ping.Should().BeSameAs(PingMessage.Instance);
        input.Length.Should().Be(0);
    }

    [Fact]
    public void TryParse_AMessageTypeFromTheFuture_IsSkipped()
    {
        // [99] then a ping: a newer server's message this side does not know, as SignalR's own protocol skips it.
        var input = new ReadOnlySequence<byte>([0x02, 0x91, 0x63, .. _signalR.GetMessageBytes(PingMessage.Instance).ToArray()]);

        _ours.TryParseMessage(ref input, new Binder(), out var message).Should().BeTrue();

        message.Should().BeSameAs(PingMessage.Instance);
    }

    [Fact]
    public void TryParse_AnUnknownTarget_IsABindingFailure()
    {
        var input = new ReadOnlySequence<byte>(_signalR.GetMessageBytes(new InvocationMessage(null, "NoSuchMethod", [1])));

        _ours.TryParseMessage(ref input, new Binder(), out var message).Should().BeTrue();

        message.Should().BeOfType<InvocationBindingFailureMessage>().Which.Target.Should().Be("NoSuchMethod");
    }

    [Fact]
    public void TryParse_TheWrongArgumentCount_IsABindingFailure()
    {
        var input = new ReadOnlySequence<byte>(_signalR.GetMessageBytes(new InvocationMessage(null, nameof(ITunnelAgent.Grant), [Id])));

        _ours.TryParseMessage(ref input, new Binder(), out var message).Should().BeTrue();

        message.Should().BeOfType<InvocationBindingFailureMessage>()
            .Which.BindingFailure.SourceException.Message.Should().Contain("provides 1 argument(s) but target expects 2");
    }

    [Fact]
    public void TryParse_ALengthPrefixOfSixBytes_IsInvalidData()
    {
        var input = new ReadOnlySequence<byte>([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]);

        var act = () => _ours.TryParseMessage(ref input, new Binder(), out _);

        act.Should().Throw<InvalidDataException>();
    }

    [Fact]
    public void Write_ATypeOutsideTheContract_Throws()
    {
        var act = () => _ours.GetMessageBytes(new InvocationMessage(null, "X", [DateTime.UnixEpoch]));

        act.Should().Throw<InvalidDataException>().WithMessage("DateTime is not a type of the tunnel's hub contract*");
    }

    /// <summary>A body chunk compares by its bytes; a stream item's byte[] and chunk are the same bytes on the wire.</summary>
    private static object Normalize(HubMessage message) => message switch
    {
        StreamItemMessage { Item: BodyChunk chunk } m => new { m.InvocationId, Item = chunk.Memory.ToArray(), m.Headers },
        StreamItemMessage m => new { m.InvocationId, m.Item, m.Headers },
        _ => message,
    };

    /// <summary>The parameter types of the contract's methods, as SignalR's hub and client bind them.</summary>
    private sealed class Binder(Type? returnType = null) : IInvocationBinder
    {
        public IReadOnlyList<Type> GetParameterTypes(string methodName) => methodName switch
        {
            nameof(ITunnelAgent.Forward) => [typeof(ForwardRequest)],
            nameof(ITunnelAgent.Grant) => [typeof(Guid), typeof(int)],
            nameof(ITunnelAgent.Displaced) => [typeof(string)],
            nameof(ITunnelAgent.OpenRelay) => [typeof(RelayOpen)],
            nameof(ITunnelAgent.RelayToHome) => [typeof(Guid), typeof(RelayFrame)],
            nameof(ITunnelHub.Respond) => [typeof(Guid), typeof(ResponseHead)],
            nameof(ITunnelHub.RespondComplete) => [typeof(Guid), typeof(ResponseHead), typeof(byte[])],
            nameof(ITunnelHub.Fail) => [typeof(Guid), typeof(ForwardFailure)],
            nameof(ITunnelHub.Flush) => [],
            nameof(ITunnelHub.ReadRequestBody) => [typeof(Guid), typeof(int)],
            _ => throw new InvalidOperationException($"No method {methodName}."),
        };

        public Type GetReturnType(string invocationId) => returnType ?? typeof(int);

        public Type GetStreamItemType(string streamId) => streamId == "0" ? typeof(BodyChunk) : typeof(byte[]);
    }
}
