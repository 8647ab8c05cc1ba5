using System.Buffers;
using MessagePack;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Tunnel.Agent.HubProtocol;

/// <summary>Writes one SignalR MessagePack hub message (without its length prefix), arguments through the contract's formatters.</summary>
internal sealed class HubMessageWriter(ContractFormatters formatters, MessagePackSerializerOptions options)
{
    /// <summary>Writes <paramref name="message"/> to <paramref name="output"/>.</summary>
    public void Write(HubMessage message, IBufferWriter<byte> output)
    {
        var writer = new MessagePackWriter(output);
        switch (message)
        {
            case InvocationMessage m:
                WriteInvocation(ref writer, HubProtocolConstants.InvocationMessageType, m, string.IsNullOrEmpty(m.InvocationId) ? null : m.InvocationId);
                break;
            case StreamInvocationMessage m:
                WriteInvocation(ref writer, HubProtocolConstants.StreamInvocationMessageType, m, m.InvocationId);
                break;
            case StreamItemMessage m:
                WriteHead(ref writer, 4, HubProtocolConstants.StreamItemMessageType, m.Headers, m.InvocationId);
                WriteArgument(ref writer, m.Item);
                break;
            case CompletionMessage m:
                var kind = m.Error is not null ? CompletionResult.Error : m.HasResult ? CompletionResult.NonVoid : CompletionResult.Void;
                WriteHead(ref writer, kind == CompletionResult.Void ? 4 : 5, HubProtocolConstants.CompletionMessageType, m.Headers, m.InvocationId);
                writer.Write(kind);
                if (kind == CompletionResult.Error)
                {
                    writer.Write(m.Error);
                }
                else if (kind == CompletionResult.NonVoid)
                {
                    WriteArgument(ref writer, m.Result);
                }

                break;
            case CancelInvocationMessage m:
                WriteHead(ref writer, 3, HubProtocolConstants.CancelInvocationMessageType, m.Headers, m.InvocationId);
                break;
            case PingMessage:
                writer.WriteArrayHeader(1);
                writer.Write(HubProtocolConstants.PingMessageType);
                break;
            case CloseMessage m:
                writer.WriteArrayHeader(3);
                writer.Write(HubProtocolConstants.CloseMessageType);
                writer.Write(string.IsNullOrEmpty(m.Error) ? null : m.Error);
                writer.Write(m.AllowReconnect);
                break;
            case AckMessage m:
                writer.WriteArrayHeader(2);
                writer.Write(HubProtocolConstants.AckMessageType);
                writer.Write(m.SequenceId);
                break;
            case SequenceMessage m:
                writer.WriteArrayHeader(2);
                writer.Write(HubProtocolConstants.SequenceMessageType);
                writer.Write(m.SequenceId);
                break;
            default:
                throw new InvalidDataException($"Unexpected message type: {message.GetType().Name}");
        }

        writer.Flush();
    }

    private void WriteInvocation(ref MessagePackWriter writer, int type, HubMethodInvocationMessage message, string? invocationId)
    {
        WriteHead(ref writer, 6, type, message.Headers, invocationId);
        writer.Write(message.Target);
        var arguments = message.Arguments ?? [];
        writer.WriteArrayHeader(arguments.Length);
        foreach (var argument in arguments)
        {
            WriteArgument(ref writer, argument);
        }

        var streamIds = message.StreamIds ?? [];
        writer.WriteArrayHeader(streamIds.Length);
        foreach (var id in streamIds)
        {
            writer.Write(id);
        }
    }

    private void WriteArgument(ref MessagePackWriter writer, object? argument)
    {
        switch (argument)
        {
            case null:
                writer.WriteNil();
                break;
            case RawResult raw:
                writer.WriteRaw(raw.RawSerializedData);
                break;
            default:
                formatters.For(argument.GetType()).Write(ref writer, argument, options);
                break;
        }
    }

    /// <summary>What every invocation-related message starts with: <c>[type, headers, invocationId, …]</c> of <paramref name="length"/> elements.</summary>
    private static void WriteHead(ref MessagePackWriter writer, int length, int type, IDictionary<string, string>? headers, string? invocationId)
    {
        writer.WriteArrayHeader(length);
        writer.Write(type);
        WriteHeaders(ref writer, headers);
        writer.Write(invocationId);
    }

    private static void WriteHeaders(ref MessagePackWriter writer, IDictionary<string, string>? headers)
    {
        writer.WriteMapHeader(headers?.Count ?? 0);
        if (headers is null)
        {
            return;
        }

        foreach (var (key, value) in headers)
        {
            writer.Write(key);
            writer.Write(value);
        }
    }
}
