using System.Buffers;
using MessagePack;
using MessagePack.Formatters;
using Tunnel.Contracts.Messages;

namespace Tunnel.Contracts.Wire;

/// <summary>Writes a <see cref="BodyChunk"/> as a MessagePack <c>bin</c> and reads one into a pooled buffer.</summary>
/// <param name="pool">Where received chunks rent their buffers; <see cref="MemoryPool{T}.Shared"/> if null.</param>
public sealed class BodyChunkFormatter(MemoryPool<byte>? pool) : IMessagePackFormatter<BodyChunk?>
{
    /// <summary>A formatter whose chunks rent from <see cref="MemoryPool{T}.Shared"/> (what the type's attribute makes).</summary>
    public BodyChunkFormatter()
        : this(null)
    {
    }

    /// <summary>Writes the chunk's bytes as one <c>bin</c> (<c>nil</c> for null).</summary>
    public void Serialize(ref MessagePackWriter writer, BodyChunk? value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        writer.Write(value.Memory.Span);
    }

    /// <summary>Reads a <c>bin</c> into a chunk backed by a pooled buffer; <c>nil</c> gives null.</summary>
    public BodyChunk? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
        reader.ReadBytes() is { } bytes ? BodyChunk.Rent(bytes, pool) : null;
}
