namespace Tunnel.Tests.Fixtures;

/// <summary>How the stand-in of the home server's <c>/ws</c> behaves (defaults are the real home's).</summary>
public sealed record HomeWebSocketSettings
{
    /// <summary>Profiles the home knows; any other (or none) is refused with 400 before the upgrade. Default "master".</summary>
    public IReadOnlyCollection<string> KnownProfiles { get; init; } = ["master"];

    /// <summary>How often the home pings each socket (5 s, as MoosicBox's <c>HEARTBEAT_INTERVAL</c>).</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long after a ping the home waits for its pong before it drops the socket: 5 s, so a socket that stops
    /// answering is gone about 10 s after its last pong (MoosicBox's <c>CLIENT_TIMEOUT</c>).
    /// </summary>
    public TimeSpan PongTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest message the home accepts (actix-ws' 64 KiB frame limit); a bigger one closes the socket.</summary>
    public int MaxMessageSize { get; init; } = 64 * 1024;

    /// <summary>
    /// When set, the home was built with <c>static-token-auth</c>: the upgrade needs this value in the
    /// <c>Authorization</c> header (bare or Bearer) or the <c>authorization</c> query parameter, else 401. Default none.
    /// </summary>
    public string? StaticToken { get; init; }
}
