namespace Tunnel.Server.Auth;

/// <summary><c>{"token": "..."}</c>, the original's answer to token-creating routes.</summary>
internal sealed record TokenResponse(string Token);
