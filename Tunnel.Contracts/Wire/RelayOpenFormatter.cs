using MessagePack;
using MessagePack.Formatters;
using Tunnel.Contracts.Messages;

namespace Tunnel.Contracts.Wire;

/// <summary>A <see cref="RelayOpen"/> as <c>[RelayId, Query, Profile]</c>.</summary>
public sealed class RelayOpenFormatter : IMessagePackFormatter<RelayOpen?>
{
    /// <inheritdoc />
    public void Serialize(ref MessagePackWriter writer, RelayOpen? value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        writer.WriteArrayHeader(3);
        WireArray.WriteGuid(ref writer, value.RelayId);
        writer.Write(value.Query);
        writer.Write(value.Profile);
    }

    /// <inheritdoc />
    public RelayOpen? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        var count = WireArray.Begin(ref reader, options);
        WireArray.Require(count, 2, nameof(RelayOpen));
        var relayId = WireArray.ReadGuid(ref reader);
        var query = reader.ReadString();
        var profile = count > 2 ? reader.ReadString() : null;
        WireArray.End(ref reader, Math.Min(count, 3), count);
        return new RelayOpen { RelayId = relayId, Query = query ?? string.Empty, Profile = profile };
    }
}
