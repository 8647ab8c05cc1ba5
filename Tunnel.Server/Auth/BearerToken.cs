using Microsoft.Net.Http.Headers;

namespace Tunnel.Server.Auth;

/// <summary>
/// Reads the token in <c>Authorization</c> as the real MoosicBox clients send it: <c>Bearer &lt;token&gt;</c> (the
/// scheme in any case, as the native app's <c>bearer</c>) or the bare token with no scheme (the web app on every API
/// call, the home server on register-client, signature-token and magic-token). Any other scheme (<c>Basic …</c>) is
/// not a token of ours. See issue 9 and <c>moosicbox-clients.md</c>.
/// </summary>
internal static class BearerToken
{
    private const string Scheme = "Bearer";

    /// <summary>
    /// The token, or null when there is none: no header, several, an empty one, or one with another scheme. Callers
    /// tell "no credential" from "a credential we refuse" by whether the header is present.
    /// </summary>
    public static string? Read(HttpRequest request)
    {
        var values = request.Headers[HeaderNames.Authorization];
        if (values.Count != 1 || values[0] is not { } header)
        {
            return null;
        }

        var value = header.AsSpan().Trim();
        var space = value.IndexOfAny(' ', '\t');
        if (space < 0)
        {
            // A bare token: tokens never contain whitespace, so this cannot be a scheme with its credential.
            return value.IsEmpty ? null : value.ToString();
        }

        if (!value[..space].Equals(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = value[(space + 1)..].Trim();
        return token.IsEmpty ? null : token.ToString();
    }
}
