namespace Tunnel.Server.Auth;

/// <summary><c>{"magicToken": "...", "expires": "..."}</c>: a new device link and until when it can be used.</summary>
internal sealed record DeviceLinkResponse(string MagicToken, DateTimeOffset Expires);
