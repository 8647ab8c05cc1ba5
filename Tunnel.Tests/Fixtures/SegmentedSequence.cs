using System.Buffers;

namespace Tunnel.Tests.Fixtures;

/// <summary>Bytes as a <see cref="ReadOnlySequence{T}"/> of many segments, as a pipe hands over what arrived in pieces.</summary>
internal static class SegmentedSequence
{
    /// <summary>The bytes in segments of at most <paramref name="segmentLength"/> bytes each.</summary>
    public static ReadOnlySequence<byte> Of(ReadOnlyMemory<byte> bytes, int segmentLength)
    {
        if (bytes.Length <= segmentLength)
        {
            return new ReadOnlySequence<byte>(bytes);
        }

        var first = new Segment(bytes[..segmentLength], 0);
        var last = first;
        for (var offset = segmentLength; offset < bytes.Length; offset += segmentLength)
        {
            last = last.Append(bytes[offset..Math.Min(bytes.Length, offset + segmentLength)]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
