using MessagePack;
using MessagePack.Formatters;
using Tunnel.Contracts.Messages;

namespace Tunnel.Contracts.Wire;

/// <summary>
/// A <see cref="ForwardRequest"/> as <c>[RequestId, Method, PathAndQuery, Headers, HasBody, InitialCredits,
/// PublicScheme, PublicHost, CallerAddress]</c>. Servers before issue 10 send the first six.
/// </summary>
public sealed class ForwardRequestFormatter : IMessagePackFormatter<ForwardRequest?>
{
    private const int Fields = 9;

    /// <inheritdoc />
    public void Serialize(ref MessagePackWriter writer, ForwardRequest? value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        writer.WriteArrayHeader(Fields);
        WireArray.WriteGuid(ref writer, value.RequestId);
        writer.Write(value.Method);
        writer.Write(value.PathAndQuery);
        HttpHeaderFormatter.SerializeList(ref writer, value.Headers, options);
        writer.Write(value.HasBody);
        writer.Write(value.InitialCredits);
        writer.Write(value.PublicScheme);
        writer.Write(value.PublicHost);
        writer.Write(value.CallerAddress);
    }

    /// <inheritdoc />
    public ForwardRequest? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        var count = WireArray.Begin(ref reader, options);
        WireArray.Require(count, 4, nameof(ForwardRequest));
        var requestId = WireArray.ReadGuid(ref reader);
        var method = reader.ReadString();
        var pathAndQuery = reader.ReadString();
        var headers = HttpHeaderFormatter.DeserializeList(ref reader, options);
        // An older server's array ends early (before issue 10: six fields); what it lacks stays unset.
        var hasBody = count > 4 && reader.ReadBoolean();
        var initialCredits = count > 5 ? reader.ReadInt32() : 0;
        var publicScheme = count > 6 ? reader.ReadString() : null;
        var publicHost = count > 7 ? reader.ReadString() : null;
        var callerAddress = count > 8 ? reader.ReadString() : null;
        WireArray.End(ref reader, Math.Min(count, Fields), count);
        return new ForwardRequest
        {
            RequestId = requestId,
            Method = method!,
            PathAndQuery = pathAndQuery!,
            Headers = headers!,
            HasBody = hasBody,
            InitialCredits = initialCredits,
            PublicScheme = publicScheme,
            PublicHost = publicHost,
            CallerAddress = callerAddress,
        };
    }
}
