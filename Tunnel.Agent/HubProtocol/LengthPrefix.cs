using System.Buffers;

namespace Tunnel.Agent.HubProtocol;

/// <summary>
/// The frame of every binary SignalR message: its length as a VarInt (7 bits per byte, low group first, high bit
/// set on every byte but the last; at most 5 bytes, at most 2 GiB − 1), then the message (SignalR's
/// HubProtocol spec, "Binary encoding").
/// </summary>
internal static class LengthPrefix
{
    /// <summary>The most bytes a prefix takes.</summary>
    public const int MaxBytes = 5;

    /// <summary>Writes the prefix of a <paramref name="length"/>-byte message; returns the bytes written.</summary>
    public static int Write(int length, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var value = (uint)length;
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>The bytes the prefix of a <paramref name="length"/>-byte message takes.</summary>
    public static int Size(int length)
    {
        var size = 1;
        for (var value = (uint)length; value >= 0x80; value >>= 7)
        {
            size++;
        }

        return size;
    }

    /// <summary>
    /// Takes one whole message off the front of <paramref name="input"/>; false (and <paramref name="input"/> as it
    /// was) while the prefix or the message has not fully arrived.
    /// </summary>
    /// <exception cref="InvalidDataException">The prefix is longer than 5 bytes or exceeds 2 GiB − 1.</exception>
    public static bool TryRead(ref ReadOnlySequence<byte> input, out ReadOnlySequence<byte> message)
    {
        message = default;
        var reader = new SequenceReader<byte>(input);
        ulong length = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (shift >= 7 * MaxBytes)
            {
                throw new InvalidDataException("A message's length prefix is longer than 5 bytes.");
            }

            if (!reader.TryRead(out var b))
            {
                return false;
            }

            length |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                break;
            }
        }

        if (length > int.MaxValue)
        {
            throw new InvalidDataException("A message's length exceeds 2 GiB.");
        }

        if (reader.Remaining < (long)length)
        {
            return false;
        }

        message = input.Slice(reader.Consumed, (long)length);
        input = input.Slice(message.End);
        return true;
    }
}
