using Tunnel.Contracts.Hubs;
using Tunnel.Server.Auth;

namespace Tunnel.Server.Relay;

/// <summary>What of the remote app's query reaches the home server's <c>/ws</c>.</summary>
internal static class RelayQuery
{
    /// <summary>
    /// The raw query without its <c>?</c> and without <c>clientId</c> and <c>signature</c> (names matched
    /// case-insensitively, after unescaping); everything else stays, escapes and order intact.
    /// </summary>
    public static string WithoutCredentials(QueryString query)
    {
        if (query.Value is not { Length: > 1 } raw)
        {
            return string.Empty;
        }

        var kept = raw[1..].Split('&').Where(pair => pair.Length > 0 && !IsCredential(pair));
        return string.Join('&', kept);
    }

    private static bool IsCredential(string pair)
    {
        var equals = pair.IndexOf('=', StringComparison.Ordinal);
        var name = Uri.UnescapeDataString((equals < 0 ? pair : pair[..equals]).Replace('+', ' '));
        return name.Equals(HubPaths.ClientIdParameter, StringComparison.OrdinalIgnoreCase)
               || name.Equals(RequestAuthorizer.SignatureParameter, StringComparison.OrdinalIgnoreCase);
    }
}
