using MessagePack;
using MessagePack.Formatters;
using Tunnel.Contracts.Messages;

namespace Tunnel.Contracts.Wire;

/// <summary>A <see cref="ResponseHead"/> as <c>[StatusCode, Headers]</c>.</summary>
public sealed class ResponseHeadFormatter : IMessagePackFormatter<ResponseHead?>
{
    /// <inheritdoc />
    public void Serialize(ref MessagePackWriter writer, ResponseHead? value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        writer.WriteArrayHeader(2);
        writer.Write(value.StatusCode);
        HttpHeaderFormatter.SerializeList(ref writer, value.Headers, options);
    }

    /// <inheritdoc />
    public ResponseHead? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        var count = WireArray.Begin(ref reader, options);
        WireArray.Require(count, 2, nameof(ResponseHead));
        var statusCode = reader.ReadInt32();
        var headers = HttpHeaderFormatter.DeserializeList(ref reader, options);
        WireArray.End(ref reader, 2, count);
        return new ResponseHead { StatusCode = statusCode, Headers = headers! };
    }
}
