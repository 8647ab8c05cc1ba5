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
        bool hasBody = false;
        int initialCredits = 0;
        string? publicScheme = null, publicHost = null, callerAddress = null;
        for (var i = 4; i < count; i++)
        {
            switch (i)
            {
                case 4: hasBody = reader.ReadBoolean(); break;
                case 5: initialCredits = reader.ReadInt32(); break;
                case 6: publicScheme = reader.ReadString(); break;
                case 7: publicHost = reader.ReadString(); break;
                case 8: callerAddress = reader.ReadString(); break;
                default: reader.Skip(); break;
            }
        }

        WireArray.End(ref reader);
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
