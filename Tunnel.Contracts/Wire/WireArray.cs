using MessagePack;

namespace Tunnel.Contracts.Wire;

/// <summary>
/// Reading and writing the pieces every contract message is made of. A message is a MessagePack array whose element
/// <c>i</c> is field <c>i</c>, the shape MessagePack-CSharp gives a <c>[MessagePackObject]</c> with integer keys, so
/// peers built before the hand-written formatters read and write the same bytes. A reader takes the fields it knows
/// and skips the rest: a newer peer may append fields, an older one may send fewer.
/// </summary>
internal static class WireArray
{
    /// <summary>Reads an array header (depth checked against the options' security limits) and returns its length.</summary>
    public static int Begin(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        var count = reader.ReadArrayHeader();
        options.Security.DepthStep(ref reader);
        return count;
    }

    /// <summary>
    /// Ends what <see cref="Begin"/> began: skips the fields after the first <paramref name="read"/> of the array's
    /// <paramref name="count"/> (a newer peer's).
    /// </summary>
    public static void End(ref MessagePackReader reader, int read, int count)
    {
        for (var i = read; i < count; i++)
        {
            reader.Skip();
        }

        reader.Depth--;
    }

    /// <summary>A <see cref="Guid"/> as its 36-char "D" form in a <c>str</c>, as MessagePack-CSharp's GuidFormatter writes it.</summary>
    public static void WriteGuid(ref MessagePackWriter writer, Guid value)
    {
        writer.WriteStringHeader(36);
        value.TryFormat(writer.GetSpan(36), out var written, "D");
        writer.Advance(written);
    }

    /// <summary>Reads what <see cref="WriteGuid"/> writes (or any form <see cref="Guid.TryParse(string?, out Guid)"/> takes).</summary>
    public static Guid ReadGuid(ref MessagePackReader reader)
    {
        var text = reader.ReadString() ?? throw new MessagePackSerializationException("A GUID field is nil.");
        return Guid.TryParse(text, out var value) ? value : throw new MessagePackSerializationException($"'{text}' is not a GUID.");
    }

    /// <summary>Throws when a message lacks a field every peer has always sent.</summary>
    public static void Require(int count, int required, string message)
    {
        if (count < required)
        {
            throw new MessagePackSerializationException($"{message} has {count} fields; at least {required} are required.");
        }
    }
}
