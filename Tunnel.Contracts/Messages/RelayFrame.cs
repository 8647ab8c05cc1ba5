using MessagePack;
using Tunnel.Contracts.Wire;

namespace Tunnel.Contracts.Messages;

/// <summary>
/// Part or all of one WebSocket message relayed between a remote app and the origin, verbatim. Remote to home a
/// frame is always a whole message of at most <see cref="Protocol.TunnelProtocol.MaxRelayMessageToHome"/> bytes;
/// home to remote a message travels in pieces of at most <see cref="Protocol.TunnelProtocol.MaxChunkSize"/> bytes,
/// the last with <see cref="EndOfMessage"/>.
/// </summary>
/// <param name="Text">True for a text message, false for a binary one.</param>
/// <param name="EndOfMessage">True on the message's last piece.</param>
/// <param name="Data">The payload bytes (UTF-8 for text).</param>
[MessagePackFormatter(typeof(RelayFrameFormatter))]
public sealed record RelayFrame(
    bool Text,
    bool EndOfMessage,
    byte[] Data);
