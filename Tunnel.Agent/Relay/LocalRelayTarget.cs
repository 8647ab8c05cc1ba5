namespace Tunnel.Agent.Relay;

/// <summary>Where a relay's local socket goes: the origin's scheme (as ws/wss), host and port, path <c>/ws</c>.</summary>
internal static class LocalRelayTarget
{
    private static readonly UriCreationOptions KeepQueryAsIs = new() { DangerousDisablePathAndQueryCanonicalization = true };

    /// <summary>The target for <paramref name="query"/>, or null when it would leave the origin's <c>/ws</c>.</summary>
    public static Uri? For(Uri origin, string query)
    {
        if (query.Contains('#') || query.Contains(' '))
        {
            return null;
        }

        var scheme = origin.Scheme == Uri.UriSchemeHttps ? "wss" : "ws";
        var text = $"{scheme}://{origin.Authority}/ws" + (query.Length > 0 ? "?" + query : string.Empty);
        return Uri.TryCreate(text, in KeepQueryAsIs, out var target)
               && target.Host == origin.Host && target.Port == origin.Port && target.AbsolutePath == "/ws"
               && string.IsNullOrEmpty(target.UserInfo)
            ? target
            : null;
    }
}
