namespace Tunnel.Bench.Origin;

/// <summary>
/// The bytes of every test file: byte <c>i</c> of any file is <c>Block[i mod Period]</c>, a fixed pseudo-random
/// block whose length is prime, so that a lost, repeated or reordered 64 KiB chunk never lines up again. The
/// client checks every byte it receives against it (a vectorised compare, far cheaper than hashing).
/// </summary>
internal static class TestPattern
{
    /// <summary>A prime just under 1 MiB.</summary>
    public const int Period = 1_048_573;

    /// <summary>Longest slice <see cref="Slice"/> returns: the block is stored with this much of its start repeated.</summary>
    public const int MaxSlice = 256 * 1024;

    private static readonly byte[] Doubled = Build();

    /// <summary>The bytes at file offsets <c>[offset, offset + length)</c>, length ≤ <see cref="MaxSlice"/>.</summary>
    public static ReadOnlyMemory<byte> Slice(long offset, int length) =>
        Doubled.AsMemory((int)(offset % Period), length);

    /// <summary>True when <paramref name="received"/> are the bytes at file offset <paramref name="offset"/>.</summary>
    public static bool Matches(long offset, ReadOnlySpan<byte> received)
    {
        while (received.Length > 0)
        {
            var n = Math.Min(received.Length, MaxSlice);
            if (!received[..n].SequenceEqual(Slice(offset, n).Span))
            {
                return false;
            }

            offset += n;
            received = received[n..];
        }

        return true;
    }

    private static byte[] Build()
    {
        var bytes = new byte[Period + MaxSlice];
        // xorshift64*: deterministic across runs and machines.
        ulong state = 0x9E3779B97F4A7C15;
        for (var i = 0; i < Period; i++)
        {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            bytes[i] = (byte)((state * 0x2545F4914F6CDD1D) >> 56);
        }

        bytes.AsSpan(0, MaxSlice).CopyTo(bytes.AsSpan(Period));
        return bytes;
    }
}
