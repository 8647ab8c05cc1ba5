using Microsoft.Net.Http.Headers;

namespace Tunnel.Server.Auth;

/// <summary>Reads <c>Authorization: Bearer &lt;token&gt;</c>.</summary>
internal static class BearerToken
{
    private const string Scheme = "Bearer ";

    public static string? Read(HttpRequest request)
    {
        var values = request.Headers[HeaderNames.Authorization];
        if (values.Count != 1 || values[0] is not { } header)
        {
            return null;
        }

        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = header.AsSpan(Scheme.Length).Trim();
        return token.IsEmpty ? null : token.ToString();
    }
}
