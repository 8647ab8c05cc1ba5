using MessagePack;
using MessagePack.Formatters;

namespace Tunnel.Agent.HubProtocol;

/// <summary>An <see cref="ArgumentFormatter"/> over a MessagePack formatter of <typeparamref name="T"/>.</summary>
internal sealed class ArgumentFormatterOf<T>(IMessagePackFormatter<T> formatter) : ArgumentFormatter
{
    /// <summary>The formatter wrapped.</summary>
    public IMessagePackFormatter<T> Formatter => formatter;

    public override Type Type => typeof(T);

    public override void Write(ref MessagePackWriter writer, object value, MessagePackSerializerOptions options) =>
        formatter.Serialize(ref writer, (T)value, options);

    public override object? Read(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
        formatter.Deserialize(ref reader, options);
}
