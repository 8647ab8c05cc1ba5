using System.Text.RegularExpressions;

namespace Tunnel.Server.Hosting;

/// <summary>
/// Rewrites log text so that no secret survives: the values of the query parameters that carry tokens
/// (<c>signature</c>, <c>magicToken</c>, <c>token</c>, <c>access_token</c>, …, matched case-insensitively and after
/// percent-decoding the name, as ASP.NET Core's query parser does) and credentials after <c>Bearer</c>/<c>Basic</c>
/// or an <c>Authorization</c> field become <c>***</c>.
/// </summary>
internal static partial class LogRedactor
{
    public const string Mask = "***";

    private static readonly HashSet<string> SecretParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "signature", "magicToken", "magic_token", "token", "access_token", "accessToken", "authorization",
    };

    public static string Redact(string text)
    {
        if (!MayContainSecret(text))
        {
            return text;
        }

        var result = QueryParameter().Replace(text, m =>
            SecretParameters.Contains(DecodeName(m.Groups["name"].Value)) ? m.Groups["lead"].Value + Mask : m.Value);
        result = Credential().Replace(result, m => m.Groups["scheme"].Value + Mask);
        return AuthorizationField().Replace(result, m => m.Groups["field"].Value + Mask);
    }

    /// <summary>A cheap test that lets most log lines through untouched.</summary>
    public static bool MayContainSecret(string text) =>
        text.Contains('=', StringComparison.Ordinal)
        || text.Contains("bearer", StringComparison.OrdinalIgnoreCase)
        || text.Contains("basic", StringComparison.OrdinalIgnoreCase)
        || text.Contains("authorization", StringComparison.OrdinalIgnoreCase);

    private static string DecodeName(string name)
    {
        try
        {
            return Uri.UnescapeDataString(name.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return name;
        }
    }

    // name=value after '?' or '&' (also '&amp;' and ';' separators); the value runs to the next separator.
    [GeneratedRegex("""(?<lead>(?:^|[?&;])(?<name>[^=&?;#\s"'<>]+)=)[^&;#\s"'<>]*""", RegexOptions.CultureInvariant)]
    private static partial Regex QueryParameter();

    [GeneratedRegex("""(?<scheme>\b(?:Bearer|Basic)\s+)[^\s,;"'<>]+""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Credential();

    // "Authorization: xyz" / "Authorization=xyz" whose value is not already masked.
    [GeneratedRegex("""(?<field>\bAuthorization["']?\s*[:=]\s*["']?(?>(?:(?:Bearer|Basic)\s+)?))(?!\*\*\*)[^\s,;"'<>]+""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AuthorizationField();
}
