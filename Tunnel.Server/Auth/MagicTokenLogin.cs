namespace Tunnel.Server.Auth;

/// <summary>
/// <c>{"clientId": "...", "accessToken": "..."}</c>: what MoosicBox's home server answers to a used magic token,
/// and what this server answers for a device link; the web app stores both as its connection's credentials.
/// </summary>
internal sealed record MagicTokenLogin(string ClientId, string AccessToken);
