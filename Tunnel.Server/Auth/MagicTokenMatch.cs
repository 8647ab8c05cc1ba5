namespace Tunnel.Server.Auth;

/// <summary>
/// The client a presented magic token belongs to, and whether it is a device link (answered by this server) or a
/// token the home server registered (answered by the home server).
/// </summary>
internal sealed record MagicTokenMatch(string ClientId, bool IsDeviceLink);
