using System.Security.Cryptography;
using System.Text;

namespace Tunnel.Server.Auth;

/// <summary>Tokens are stored only as the lowercase hex SHA-256 of their UTF-8 text, as the original stores them.</summary>
internal static class TokenHasher
{
    public static string Hash(string token)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(token), digest);
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>Compares two secrets in time that does not depend on where they differ.</summary>
    public static bool FixedTimeEquals(string presented, string expected)
    {
        // Hash both first so that the comparison also hides the expected secret's length.
        Span<byte> a = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> b = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), a);
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), b);
        return CryptographicOperations.FixedTimeEquals(a, b);
    }
}
