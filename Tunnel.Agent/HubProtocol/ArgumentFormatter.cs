using MessagePack;

namespace Tunnel.Agent.HubProtocol;

/// <summary>
/// Reads and writes hub arguments of one CLR type when SignalR names the type only at run time (a
/// <see cref="System.Type"/> from its binder, an <see cref="object"/> to write). MessagePack-CSharp's own non-generic
/// API compiles expression trees per type, which Native AOT cannot run; this dispatch is plain virtual calls.
/// </summary>
internal abstract class ArgumentFormatter
{
    /// <summary>The type read and written.</summary>
    public abstract Type Type { get; }

    /// <summary>Writes <paramref name="value"/>, which is of <see cref="Type"/>.</summary>
    public abstract void Write(ref MessagePackWriter writer, object value, MessagePackSerializerOptions options);

    /// <summary>Reads one value of <see cref="Type"/> (boxed for value types).</summary>
    public abstract object? Read(ref MessagePackReader reader, MessagePackSerializerOptions options);
}
