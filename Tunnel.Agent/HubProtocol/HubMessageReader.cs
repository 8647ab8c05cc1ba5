using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Text;
using MessagePack;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Tunnel.Agent.HubProtocol;

/// <summary>
/// Reads one SignalR MessagePack hub message (its length prefix already taken off), binding arguments through the
/// contract's formatters; a message that does not bind becomes a binding-failure message, as in SignalR's protocol.
/// </summary>
internal sealed class HubMessageReader(ContractFormatters formatters, MessagePackSerializerOptions options)
{
    /// <summary>The message in <paramref name="payload"/>; null for a message type this side does not know.</summary>
    public HubMessage? Read(in ReadOnlySequence<byte> payload, IInvocationBinder binder)
    {
        var reader = new MessagePackReader(payload);
        return ReadMessage(ref reader, binder);
    }

    private HubMessage? ReadMessage(ref MessagePackReader reader, IInvocationBinder binder)
    {
        var count = reader.ReadArrayHeader();
        var type = Read(ref reader, static (ref MessagePackReader r) => r.ReadInt32(), "messageType");
        return type switch
        {
            HubProtocolConstants.InvocationMessageType => ReadInvocation(ref reader, binder, count, stream: false),
            HubProtocolConstants.StreamInvocationMessageType => ReadInvocation(ref reader, binder, count, stream: true),
            HubProtocolConstants.StreamItemMessageType => ReadStreamItem(ref reader, binder),
            HubProtocolConstants.CompletionMessageType => ReadCompletion(ref reader, binder),
            HubProtocolConstants.CancelInvocationMessageType => WithHeaders(ReadHeaders(ref reader), new CancelInvocationMessage(RequireId(ReadString(ref reader, "invocationId"), "CancelInvocation"))),
            HubProtocolConstants.PingMessageType => PingMessage.Instance,
            HubProtocolConstants.CloseMessageType => ReadClose(ref reader, count),
            HubProtocolConstants.AckMessageType => new AckMessage(Read(ref reader, static (ref MessagePackReader r) => r.ReadInt64(), "sequenceId")),
            HubProtocolConstants.SequenceMessageType => new SequenceMessage(Read(ref reader, static (ref MessagePackReader r) => r.ReadInt64(), "sequenceId")),
            _ => null,
        };
    }

    private HubMessage ReadInvocation(ref MessagePackReader reader, IInvocationBinder binder, int count, bool stream)
    {
        var headers = ReadHeaders(ref reader);
        var invocationId = ReadString(ref reader, "invocationId");
        if (stream)
        {
            RequireId(invocationId, "StreamInvocation");
        }
        else if (string.IsNullOrEmpty(invocationId))
        {
            invocationId = null; // a non-blocking invocation
        }

        string target;
        try
        {
            target = reader.TryReadStringSpan(out var span)
                ? binder.GetTarget(span) ?? Encoding.UTF8.GetString(span)
                : reader.ReadString() ?? string.Empty;
        }
        catch (Exception ex)
        {
            throw new InvalidDataException("Reading 'target' as String failed.", ex);
        }

        if (target.Length == 0)
        {
            throw new InvalidDataException("Null or empty target for an invocation message.");
        }

        object?[] arguments;
        try
        {
            arguments = ReadArguments(ref reader, binder.GetParameterTypes(target));
        }
        catch (Exception ex)
        {
            return new InvocationBindingFailureMessage(invocationId, target, ExceptionDispatchInfo.Capture(ex));
        }

        var streamIds = count > 5 ? ReadStreamIds(ref reader) : null;
        return stream
            ? WithHeaders(headers, new StreamInvocationMessage(invocationId!, target, arguments, streamIds))
            : WithHeaders(headers, new InvocationMessage(invocationId, target, arguments, streamIds));
    }

    private HubMessage ReadStreamItem(ref MessagePackReader reader, IInvocationBinder binder)
    {
        var headers = ReadHeaders(ref reader);
        var invocationId = RequireId(ReadString(ref reader, "invocationId"), "StreamItem");
        object? item;
        try
        {
            item = ReadArgument(ref reader, binder.GetStreamItemType(invocationId));
        }
        catch (Exception ex)
        {
            return new StreamBindingFailureMessage(invocationId, ExceptionDispatchInfo.Capture(ex));
        }

        return WithHeaders(headers, new StreamItemMessage(invocationId, item));
    }

    private CompletionMessage ReadCompletion(ref MessagePackReader reader, IInvocationBinder binder)
    {
        var headers = ReadHeaders(ref reader);
        var invocationId = RequireId(ReadString(ref reader, "invocationId"), "Completion");
        var kind = Read(ref reader, static (ref MessagePackReader r) => r.ReadInt32(), "resultKind");
        string? error = null;
        object? result = null;
        var hasResult = false;
        switch (kind)
        {
            case CompletionResult.Error:
                error = ReadString(ref reader, "error");
                break;
            case CompletionResult.Void:
                break;
            case CompletionResult.NonVoid:
                hasResult = true;
                Type? resultType;
                try
                {
                    resultType = binder.GetReturnType(invocationId);
                }
                catch
                {
                    resultType = null; // no longer waited for (cancelled): SignalR skips it too
                }

                if (resultType is null)
                {
                    reader.Skip();
                }
                else if (resultType == typeof(RawResult))
                {
                    result = new RawResult(reader.ReadRaw());
                }
                else
                {
                    try
                    {
                        result = ReadArgument(ref reader, resultType);
                    }
                    catch (Exception ex)
                    {
                        error = $"Error trying to deserialize result to {resultType.Name}. {ex.Message}";
                        hasResult = false;
                    }
                }

                break;
            default:
                throw new InvalidDataException("Invalid invocation result kind.");
        }

        return WithHeaders(headers, new CompletionMessage(invocationId, error, result, hasResult));
    }

    private static CloseMessage ReadClose(ref MessagePackReader reader, int count)
    {
        var error = ReadString(ref reader, "error");
        var allowReconnect = count > 2 && Read(ref reader, static (ref MessagePackReader r) => r.ReadBoolean(), "allowReconnect");
        return error is null && !allowReconnect ? CloseMessage.Empty : new CloseMessage(error, allowReconnect);
    }

    private object?[] ReadArguments(ref MessagePackReader reader, IReadOnlyList<Type> types)
    {
        var count = reader.ReadArrayHeader();
        if (count != types.Count)
        {
            throw new InvalidDataException($"Invocation provides {count} argument(s) but target expects {types.Count}.");
        }

        var arguments = new object?[count];
        for (var i = 0; i < count; i++)
        {
            try
            {
                arguments[i] = ReadArgument(ref reader, types[i]);
            }
            catch (Exception ex)
            {
                throw new InvalidDataException($"Error binding argument {i + 1}. Make sure that the types of the provided values match the types of the hub method being invoked.", ex);
            }
        }

        return arguments;
    }

    private object? ReadArgument(ref MessagePackReader reader, Type type)
    {
        if (!type.IsValueType && reader.TryReadNil())
        {
            return null;
        }

        return formatters.For(type).Read(ref reader, options);
    }

    private static Dictionary<string, string>? ReadHeaders(ref MessagePackReader reader)
    {
        // Counts come from the peer: nothing is sized by them, and one that reads negative means none, as in SignalR.
        var count = Read(ref reader, static (ref MessagePackReader r) => r.ReadMapHeader(), "headers");
        if (count <= 0)
        {
            return null;
        }

        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var key = ReadString(ref reader, $"headers[{i}].Key");
            var value = ReadString(ref reader, $"headers[{i}].Value");
            if (string.IsNullOrEmpty(key) || string.IsNullOrEmpty(value))
            {
                throw new InvalidDataException("Null or empty key or value in header.");
            }

            headers.Add(key, value);
        }

        return headers;
    }

    private static string[]? ReadStreamIds(ref MessagePackReader reader)
    {
        var count = Read(ref reader, static (ref MessagePackReader r) => r.ReadArrayHeader(), "streamIds");
        if (count <= 0)
        {
            return null;
        }

        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(RequireId(reader.ReadString(), "streamIds"));
        }

        return [.. ids];
    }

    private static T WithHeaders<T>(Dictionary<string, string>? headers, T message)
        where T : HubInvocationMessage
    {
        if (headers is not null)
        {
            message.Headers = headers;
        }

        return message;
    }

    private static string RequireId(string? id, string message) =>
        string.IsNullOrEmpty(id) ? throw new InvalidDataException($"Null or empty invocation ID for {message} message.") : id;

    private static string? ReadString(ref MessagePackReader reader, string field) =>
        Read(ref reader, static (ref MessagePackReader r) => r.ReadString(), field);

    private delegate T FieldReader<T>(ref MessagePackReader reader);

    private static T Read<T>(ref MessagePackReader reader, FieldReader<T> read, string field)
    {
        try
        {
            return read(ref reader);
        }
        catch (Exception ex) when (ex is not InvalidDataException)
        {
            throw new InvalidDataException($"Reading '{field}' failed.", ex);
        }
    }
}
