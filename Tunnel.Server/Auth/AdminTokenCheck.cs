using Microsoft.Extensions.Options;

namespace Tunnel.Server.Auth;

/// <summary>Checks the server-wide admin token in constant time. No configured token means admin routes are closed.</summary>
internal sealed class AdminTokenCheck(IOptions<TunnelOptions> options)
{
    public bool IsConfigured => !string.IsNullOrEmpty(options.Value.AdminToken);

    public bool IsAdmin(string? presented) =>
        options.Value.AdminToken is { Length: > 0 } expected
        && presented is { Length: > 0 }
        && TokenHasher.FixedTimeEquals(presented, expected);
}
