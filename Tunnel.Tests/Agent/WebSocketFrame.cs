using System.Buffers.Binary;

namespace Tunnel.Tests.Agent;

/// <summary>The header of one WebSocket frame as sent on the wire (RFC 6455 5.2).</summary>
internal sealed record WebSocketFrame(bool Fin, int Opcode, long PayloadLength)
{
    /// <summary>The complete frames in <paramref name="wire"/>, in order; a trailing partial frame is left out.</summary>
    public static List<WebSocketFrame> Parse(ReadOnlySpan<byte> wire)
    {
        var frames = new List<WebSocketFrame>();
        while (wire.Length >= 2)
        {
            var fin = (wire[0] & 0x80) != 0;
            var opcode = wire[0] & 0x0F;
            var masked = (wire[1] & 0x80) != 0;
            long length = wire[1] & 0x7F;
            var header = 2;
            if (length == 126)
            {
                if (wire.Length < 4)
                {
                    break;
                }

                length = BinaryPrimitives.ReadUInt16BigEndian(wire[2..]);
                header = 4;
            }
            else if (length == 127)
            {
                if (wire.Length < 10)
                {
                    break;
                }

                length = (long)BinaryPrimitives.ReadUInt64BigEndian(wire[2..]);
                header = 10;
            }

            header += masked ? 4 : 0;
            if (wire.Length < header + length)
            {
                break;
            }

            frames.Add(new WebSocketFrame(fin, opcode, length));
            wire = wire[(header + (int)length)..];
        }

        return frames;
    }
}
