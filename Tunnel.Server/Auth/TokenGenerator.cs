using System.Security.Cryptography;

namespace Tunnel.Server.Auth;

/// <summary>New tokens: 256 bits from the operating system's CSPRNG, as URL-safe base64 (43 characters).</summary>
internal static class TokenGenerator
{
    private const int TokenBytes = 32;

    public static string NewToken()
    {
        Span<byte> bytes = stackalloc byte[TokenBytes];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
