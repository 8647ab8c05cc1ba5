using MessagePack;
using MessagePack.Formatters;
using Tunnel.Contracts.Messages;

namespace Tunnel.Contracts.Wire;

/// <summary>An <see cref="HttpHeader"/> as <c>[Name, Value]</c>; a header list as an array of those.</summary>
public sealed class HttpHeaderFormatter : IMessagePackFormatter<HttpHeader?>
{
    /// <summary>The one instance; the formatter holds no state.</summary>
    public static readonly HttpHeaderFormatter Instance = new();

    /// <inheritdoc />
    public void Serialize(ref MessagePackWriter writer, HttpHeader? value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        writer.WriteArrayHeader(2);
        writer.Write(value.Name);
        writer.Write(value.Value);
    }

    /// <inheritdoc />
    public HttpHeader? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        var count = WireArray.Begin(ref reader, options);
        WireArray.Require(count, 2, nameof(HttpHeader));
        var name = reader.ReadString();
        var value = reader.ReadString();
        WireArray.End(ref reader, 2, count);
        return new HttpHeader(name!, value!);
    }

    /// <summary>Writes a header list as an array of headers (<c>nil</c> for null).</summary>
    public static void SerializeList(ref MessagePackWriter writer, IReadOnlyList<HttpHeader>? headers, MessagePackSerializerOptions options)
    {
        if (headers is null)
        {
            writer.WriteNil();
            return;
        }

        writer.WriteArrayHeader(headers.Count);
        for (var i = 0; i < headers.Count; i++)
        {
            Instance.Serialize(ref writer, headers[i], options);
        }
    }

    /// <summary>Reads what <see cref="SerializeList"/> writes.</summary>
    public static HttpHeader[]? DeserializeList(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        var count = WireArray.Begin(ref reader, options);
        var headers = count == 0 ? [] : new HttpHeader[count];
        for (var i = 0; i < count; i++)
        {
            headers[i] = Instance.Deserialize(ref reader, options) ?? throw new MessagePackSerializationException("A header is nil.");
        }

        WireArray.End(ref reader, count, count);
        return headers;
    }
}
