namespace Tunnel.Agent.Links;

/// <summary>The server's answer to <c>POST /auth/device-link</c>: the one-time token and until when it works.</summary>
internal sealed record DeviceLink(string MagicToken, DateTimeOffset Expires);
