using System.Net.WebSockets;
using System.Text;

namespace Tunnel.Tests.Fixtures;

/// <summary>One whole message the home received on a socket: its kind and its bytes, verbatim.</summary>
public sealed record HomeMessage(WebSocketMessageType Type, byte[] Data)
{
    public string Text => Encoding.UTF8.GetString(Data);

    public override string ToString() => Type == WebSocketMessageType.Text && Data.Length <= 200
        ? Text
        : $"{Type} {Data.Length} bytes";
}
