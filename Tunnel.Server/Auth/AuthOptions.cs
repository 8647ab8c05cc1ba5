namespace Tunnel.Server.Auth;

/// <summary>Token lifetimes and the brute-force limit. Section <c>Tunnel:Auth</c>.</summary>
internal sealed class AuthOptions
{
    public const string SectionName = "Tunnel:Auth";

    /// <summary>Longest lifetime accepted for either token kind.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(365);

    /// <summary>
    /// How long a signature token (from <c>POST /auth/signature-token</c>) opens the media routes. Default 14 days,
    /// as the original. Between one second and 365 days.
    /// </summary>
    public TimeSpan SignatureTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// How long a magic token registered with <c>POST /auth/magic-token</c>, or a device link from
    /// <c>POST /auth/device-link</c>, can be used (once). Default 10 minutes.
    /// Between one second and 365 days.
    /// </summary>
    public TimeSpan MagicTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Failed authentication attempts one remote IP address may make per minute before every authenticating route
    /// answers it 429 with <c>Retry-After</c>: a token bucket holding this many, one given back every 60/N seconds
    /// (so a burst of N, then one per 60/N seconds). Default 20; 1 to 1,000,000.
    /// </summary>
    public int FailedAttemptsPerMinute { get; set; } = 20;
}
