using MessagePack;
using MessagePack.Formatters;
using Tunnel.Contracts.Messages;

namespace Tunnel.Contracts.Wire;

/// <summary>
/// A <see cref="ForwardFailure"/> as <c>[Kind, Detail]</c>, the kind by name (<c>"OriginTimeout"</c>), as SignalR's
/// default MessagePack options write enums. A kind this side does not know (a newer peer's) reads as
/// <see cref="ForwardFailureKind.AgentError"/>, so the failure still reaches the caller as a 502.
/// </summary>
public sealed class ForwardFailureFormatter : IMessagePackFormatter<ForwardFailure?>
{
    /// <inheritdoc />
    public void Serialize(ref MessagePackWriter writer, ForwardFailure? value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        writer.WriteArrayHeader(2);
        writer.Write(Name(value.Kind));
        writer.Write(value.Detail);
    }

    /// <inheritdoc />
    public ForwardFailure? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        var count = WireArray.Begin(ref reader, options);
        WireArray.Require(count, 2, nameof(ForwardFailure));
        var kind = reader.NextMessagePackType == MessagePackType.Integer ? (ForwardFailureKind)reader.ReadInt32() : Parse(reader.ReadString());
        var detail = reader.ReadString();
        WireArray.End(ref reader, 2, count);
        return new ForwardFailure(Enum.IsDefined(kind) ? kind : ForwardFailureKind.AgentError, detail ?? string.Empty);
    }

    // Spelled out rather than Enum.ToString/Parse: the names are wire format and must not follow a rename.
    private static string Name(ForwardFailureKind kind) => kind switch
    {
        ForwardFailureKind.OriginUnreachable => "OriginUnreachable",
        ForwardFailureKind.OriginTimeout => "OriginTimeout",
        ForwardFailureKind.InvalidRequest => "InvalidRequest",
        ForwardFailureKind.AgentBusy => "AgentBusy",
        ForwardFailureKind.OriginInvalidResponse => "OriginInvalidResponse",
        _ => "AgentError",
    };

    private static ForwardFailureKind Parse(string? name) => name switch
    {
        "OriginUnreachable" => ForwardFailureKind.OriginUnreachable,
        "OriginTimeout" => ForwardFailureKind.OriginTimeout,
        "InvalidRequest" => ForwardFailureKind.InvalidRequest,
        "AgentBusy" => ForwardFailureKind.AgentBusy,
        "OriginInvalidResponse" => ForwardFailureKind.OriginInvalidResponse,
        _ => ForwardFailureKind.AgentError,
    };
}
