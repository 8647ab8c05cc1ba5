namespace Tunnel.Server.Admin;

/// <summary>A signed-in admin browser: its anti-forgery token (sent with every POST) and when it must sign in again.</summary>
internal sealed record AdminSession(string CsrfToken, DateTimeOffset Expires);
