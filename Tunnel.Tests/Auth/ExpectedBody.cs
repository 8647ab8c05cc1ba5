using System.Security.Cryptography;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Auth;

/// <summary>SHA-256 of what an origin with a given seed serves, to tell which origin answered.</summary>
internal static class ExpectedBody
{
    public const int TrackLength = 100_000;

    public static string TrackSha256(int seed)
    {
        using var stream = new PatternStream(TrackLength, seed);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public static async Task<string> Sha256Async(HttpResponseMessage response) =>
        Convert.ToHexStringLower(SHA256.HashData(await response.Content.ReadAsByteArrayAsync()));
}
