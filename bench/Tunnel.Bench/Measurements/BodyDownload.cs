using System.Buffers;
using System.Diagnostics;
using Tunnel.Bench.Origin;

namespace Tunnel.Bench.Measurements;

/// <summary>
/// Downloads <c>/file/{bytes}</c> and checks every byte against <see cref="TestPattern"/> and the exact length;
/// returns the time to the first body byte and to the last.
/// </summary>
internal static class BodyDownload
{
    private const int ReadSize = 256 * 1024;

    public static async Task<(double TimeToFirstByteMs, double TotalSeconds)> RunAsync(
        HttpClient client, Uri url, long expected, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
        try
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                throw new InvalidDataException($"HTTP {(int)response.StatusCode}: {text[..Math.Min(text.Length, 300)]}");
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            long received = 0;
            var firstByteMs = -1.0;
            while (true)
            {
                var n = await body.ReadAsync(buffer.AsMemory(0, ReadSize), cancellationToken);
                if (n == 0)
                {
                    break;
                }

                if (firstByteMs < 0)
                {
                    firstByteMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }

                if (received + n > expected)
                {
                    throw new InvalidDataException($"body longer than {expected} bytes");
                }

                if (!TestPattern.Matches(received, buffer.AsSpan(0, n)))
                {
                    throw new InvalidDataException($"body differs from the origin's bytes within [{received}, {received + n})");
                }

                received += n;
            }

            if (received != expected)
            {
                throw new InvalidDataException($"body has {received} bytes, expected {expected}");
            }

            return (firstByteMs, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
