using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Tunnel.Tests.Fixtures;

/// <summary>Length and SHA-256 of a body, hashed as it is read so that a 256 MiB body is never held.</summary>
public static class BodyHash
{
    private static readonly ConcurrentDictionary<(long, int, long), Lazy<UploadResult>> Patterns = new();

    public static async Task<UploadResult> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(128 * 1024);
        try
        {
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                total += read;
            }

            return new UploadResult(total, Convert.ToHexStringLower(sha.GetHashAndReset()));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static async Task<UploadResult> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await ReadAsync(body, cancellationToken);
    }

    /// <summary>What <see cref="ReadAsync(Stream, CancellationToken)"/> gives for bytes [from, from+length) of the pattern.</summary>
    /// <remarks>Cached: several tests expect the same 256 MiB body, and hashing it costs about a second.</remarks>
    public static UploadResult OfPattern(long length, int seed = 0, long from = 0) =>
        Patterns.GetOrAdd((length, seed, from), key => new Lazy<UploadResult>(
            () => new UploadResult(key.Item1, PatternStream.Sha256(key.Item1, key.Item2, key.Item3)))).Value;
}
