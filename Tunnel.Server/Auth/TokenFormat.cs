using System.Buffers;

namespace Tunnel.Server.Auth;

/// <summary>
/// What a presented secret may look like before it is worth a database lookup: 16–256 visible ASCII characters.
/// Tokens this server makes are 43 URL-safe characters; the original's were UUIDs (36); magic tokens come from
/// MoosicBox. Anything else is malformed and refused without a query.
/// </summary>
internal static class TokenFormat
{
    public const int MinLength = 16;
    public const int MaxLength = 256;

    private static readonly SearchValues<char> Visible = SearchValues.Create(
        Enumerable.Range('!', '~' - '!' + 1).Select(c => (char)c).ToArray());

    public static bool IsPlausible(string? token) =>
        token is { Length: >= MinLength and <= MaxLength } && !token.AsSpan().ContainsAnyExcept(Visible);

    public const string Description = "Tokens are 16-256 visible ASCII characters.";
}
