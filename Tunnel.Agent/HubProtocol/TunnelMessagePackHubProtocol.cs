using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using MessagePack;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Tunnel.Agent.HubProtocol;

/// <summary>
/// SignalR's MessagePack hub protocol (name <c>messagepack</c>, version 2: the spec's "MessagePack (MsgPack)
/// encoding"), byte for byte what <c>Microsoft.AspNetCore.SignalR.Protocols.MessagePack</c> writes, for the agent.
/// That package reads and writes arguments through MessagePack-CSharp's dynamic resolvers and expression trees, which
/// Native AOT cannot run (its <c>AddMessagePackProtocol</c> says so); this one knows every argument type of the
/// tunnel's hub contract (<see cref="ContractFormatters"/>) and calls their formatters directly, so the agent can ship
/// as a native executable (issue 13, the agent's footprint). The server keeps SignalR's own protocol; the tests check
/// both write the same bytes for every kind of message.
/// </summary>
internal sealed class TunnelMessagePackHubProtocol : IHubProtocol
{
    private readonly HubMessageReader _reader;
    private readonly HubMessageWriter _writer;

    public TunnelMessagePackHubProtocol(ContractFormatters formatters)
    {
        var options = new MessagePackSerializerOptions(formatters).WithSecurity(MessagePackSecurity.UntrustedData);
        _reader = new HubMessageReader(formatters, options);
        _writer = new HubMessageWriter(formatters, options);
    }

    public string Name => "messagepack";

    public int Version => 2;

    public TransferFormat TransferFormat => TransferFormat.Binary;

    public bool IsVersionSupported(int version) => version <= Version;

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        // A message type this side does not know (a newer server's) is skipped, as SignalR's own protocol does.
        while (LengthPrefix.TryRead(ref input, out var payload))
        {
            message = _reader.Read(payload, binder);
            if (message is not null)
            {
                return true;
            }
        }

        message = null;
        return false;
    }

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output)
    {
        using var buffer = new PooledBufferWriter();
        _writer.Write(message, buffer);
        var prefix = LengthPrefix.Write(buffer.WrittenCount, output.GetSpan(LengthPrefix.MaxBytes));
        output.Advance(prefix);
        output.Write(buffer.WrittenSpan);
    }

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message)
    {
        using var buffer = new PooledBufferWriter();
        _writer.Write(message, buffer);
        var bytes = new byte[LengthPrefix.Size(buffer.WrittenCount) + buffer.WrittenCount];
        var prefix = LengthPrefix.Write(buffer.WrittenCount, bytes);
        buffer.WrittenSpan.CopyTo(bytes.AsSpan(prefix));
        return bytes;
    }
}
