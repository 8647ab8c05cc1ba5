using System.Buffers;
using MessagePack;
using MessagePack.Formatters;
using Tunnel.Contracts.Messages;

namespace Tunnel.Contracts.Wire;

/// <summary>A <see cref="RelayFrame"/> as <c>[Text, EndOfMessage, Data]</c>, the data as a <c>bin</c>.</summary>
public sealed class RelayFrameFormatter : IMessagePackFormatter<RelayFrame?>
{
    /// <inheritdoc />
    public void Serialize(ref MessagePackWriter writer, RelayFrame? value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        writer.WriteArrayHeader(3);
        writer.Write(value.Text);
        writer.Write(value.EndOfMessage);
        writer.Write(value.Data);
    }

    /// <inheritdoc />
    public RelayFrame? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        var count = WireArray.Begin(ref reader, options);
        WireArray.Require(count, 3, nameof(RelayFrame));
        var text = reader.ReadBoolean();
        var endOfMessage = reader.ReadBoolean();
        var data = reader.ReadBytes() is { } bytes ? bytes.ToArray() : [];
        WireArray.End(ref reader, 3, count);
        return new RelayFrame(text, endOfMessage, data);
    }
}
