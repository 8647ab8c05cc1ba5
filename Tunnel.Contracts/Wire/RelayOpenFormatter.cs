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
        string? profile = null;
        for (var i = 2; i < count; i++)
        {
            if (i == 2)
            {
                profile = reader.ReadString();
            }
            else
            {
                reader.Skip();
            }
        }

        WireArray.End(ref reader);
        return new RelayOpen { RelayId = relayId, Query = query ?? string.Empty, Profile = profile };
    }
}
