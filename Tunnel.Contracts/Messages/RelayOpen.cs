using MessagePack;
using Tunnel.Contracts.Wire;

namespace Tunnel.Contracts.Messages;

/// <summary>
/// The server asks the agent to open its own WebSocket to the origin's <c>/ws</c> for one remote app's WebSocket
/// (issue 11). The agent answers with <c>ITunnelHub.RelayOpened</c>.
/// </summary>
[MessagePackFormatter(typeof(RelayOpenFormatter))]
public sealed record RelayOpen
{
    /// <summary>Identifies the relay in every later message about it.</summary>
    public required Guid RelayId { get; init; }

    /// <summary>
    /// The remote app's query without <c>clientId</c> and <c>signature</c>, raw (escapes intact, order kept), without
    /// the leading <c>?</c>; may be empty. The agent appends it to <c>/ws</c> on its origin and nowhere else.
    /// </summary>
    public required string Query { get; init; }

    /// <summary>The remote app's <c>moosicbox-profile</c> header, if it sent one.</summary>
    public string? Profile { get; init; }
}
