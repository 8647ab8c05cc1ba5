using System.Collections.Frozen;
using MessagePack;
using MessagePack.Formatters;
using Tunnel.Contracts.Messages;
using Tunnel.Contracts.Wire;

namespace Tunnel.Agent.HubProtocol;

/// <summary>
/// Every type the agent sends or receives as a hub argument, stream item or result (<c>ITunnelHub</c>,
/// <c>ITunnelAgent</c>), with its formatter: the contract types' own (Tunnel.Contracts/Wire) and MessagePack-CSharp's
/// built-in ones for primitives, which write what SignalR's default MessagePack options write.
/// </summary>
internal sealed class ContractFormatters : IFormatterResolver
{
    private readonly FrozenDictionary<Type, ArgumentFormatter> _byType;

    public ContractFormatters()
    {
        ArgumentFormatter[] all =
        [
            new ArgumentFormatterOf<Guid>(GuidFormatter.Instance),
            new ArgumentFormatterOf<int>(Int32Formatter.Instance),
            new ArgumentFormatterOf<long>(Int64Formatter.Instance),
            new ArgumentFormatterOf<bool>(BooleanFormatter.Instance),
            new ArgumentFormatterOf<string?>(NullableStringFormatter.Instance),
            new ArgumentFormatterOf<byte[]?>(ByteArrayFormatter.Instance),
            new ArgumentFormatterOf<BodyChunk?>(new BodyChunkFormatter()),
            new ArgumentFormatterOf<ForwardRequest?>(new ForwardRequestFormatter()),
            new ArgumentFormatterOf<ResponseHead?>(new ResponseHeadFormatter()),
            new ArgumentFormatterOf<ForwardFailure?>(new ForwardFailureFormatter()),
            new ArgumentFormatterOf<HttpHeader?>(HttpHeaderFormatter.Instance),
            new ArgumentFormatterOf<RelayOpen?>(new RelayOpenFormatter()),
            new ArgumentFormatterOf<RelayFrame?>(new RelayFrameFormatter()),
        ];
        _byType = all.ToFrozenDictionary(f => f.Type);
    }

    /// <summary>The formatter of <paramref name="type"/>; throws for a type outside the contract.</summary>
    public ArgumentFormatter For(Type type) =>
        _byType.TryGetValue(type, out var formatter)
            ? formatter
            : throw new InvalidDataException($"{type.Name} is not a type of the tunnel's hub contract (Tunnel.Contracts).");

    /// <summary>The generic lookup MessagePack formatters use through their options; null outside the contract.</summary>
    public IMessagePackFormatter<T>? GetFormatter<T>() =>
        _byType.TryGetValue(typeof(T), out var formatter) ? (formatter as ArgumentFormatterOf<T>)?.Formatter : null;
}
