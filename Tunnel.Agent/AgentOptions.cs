using System.ComponentModel.DataAnnotations;

namespace Tunnel.Agent;

/// <summary>
/// The agent's settings. Section <c>Agent</c>; environment variables as <c>Agent__ClientId</c>. Ranges are checked in
/// <see cref="AgentOptionsValidator"/>: <c>[Range(typeof(TimeSpan), …)]</c> is not thread-safe (dotnet/runtime#1143)
/// and agents started in parallel (tests) tripped over it, and the build-time validator the Native AOT agent uses
/// (<see cref="AgentOptionsAnnotationsValidator"/>) drops a <c>[Range]</c>'s message.
/// </summary>
internal sealed class AgentOptions
{
    public const string SectionName = "Agent";

    /// <summary>
    /// Whether the agent carries traffic. Default true. Set to false while it runs (e.g. in appsettings.json) and it
    /// drains and disconnects without exiting; back to true and it connects again (see <see cref="AgentSettings"/>).
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The tunnel server's base URL, e.g. <c>https://tunnel.example.com</c>. Required.</summary>
    [Required(ErrorMessage = "Agent:ServerUrl is required (the tunnel server's URL).")]
    public Uri? ServerUrl { get; set; }

    /// <summary>The client this agent serves. Required; 1–64 letters, digits, '-', '_' or '.'.</summary>
    [Required(ErrorMessage = "Agent:ClientId is required.")]
    [RegularExpression("^[A-Za-z0-9._-]{1,64}$", ErrorMessage = "Agent:ClientId must be 1-64 letters, digits, '-', '_' or '.'.")]
    public string? ClientId { get; set; }

    /// <summary>A client access token of <see cref="ClientId"/> (from <c>POST /auth/register-client</c>). Required.</summary>
    [Required(ErrorMessage = "Agent:AccessToken is required (from POST /auth/register-client).")]
    public string? AccessToken { get; set; }

    /// <summary>The local MoosicBox server, e.g. <c>http://127.0.0.1:8001</c>. Required; requests never go anywhere else.</summary>
    [Required(ErrorMessage = "Agent:OriginUrl is required (the local MoosicBox server, e.g. http://127.0.0.1:8001).")]
    public Uri? OriginUrl { get; set; }

    /// <summary>
    /// A PEM (one or more certificates) or DER file whose certificates are trusted as roots for the server's TLS
    /// certificate, in addition to the system's trust store: a private CA, or a self-signed server certificate (tests,
    /// home labs). The host name is still checked. Default none: only the system's trust store.
    /// </summary>
    public string? TrustedCertificatePath { get; set; }

    /// <summary>
    /// The <c>User-Agent</c> of every request the agent makes to the origin, replacing the caller's. Default
    /// <c>MOOSICBOX_TUNNEL</c>: MoosicBox marks tunneled requests with it and refuses them on routes only the
    /// home machine itself may call (<c>/scan/*</c>, <c>POST /auth/magic-token</c>,
    /// <c>DELETE /downloader/download-locations</c>); with the caller's own value a remote caller could call them.
    /// Change it only for an origin that is not MoosicBox. 1–256 visible ASCII characters or spaces.
    /// </summary>
    [Required(ErrorMessage = "Agent:OriginUserAgent must not be empty.")]
    [RegularExpression("^[\\x21-\\x7E][\\x20-\\x7E]{0,255}$", ErrorMessage = "Agent:OriginUserAgent must be 1-256 visible ASCII characters or spaces, starting with a visible one.")]
    public string OriginUserAgent { get; set; } = DefaultOriginUserAgent;

    /// <summary>The marker MoosicBox's own tunnel sets on the requests it forwards.</summary>
    public const string DefaultOriginUserAgent = "MOOSICBOX_TUNNEL";

    /// <summary>
    /// How long the origin may take to send its response status and headers (then 504). It does not bound the body,
    /// which may take as long as it keeps coming (see <see cref="OriginBodyIdleTimeout"/>). Default 60 s.
    /// </summary>
    public TimeSpan OriginTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Longest the origin may go without sending a byte of a response body it started; then the response is broken
    /// off (the caller sees an aborted body, or 502 in buffered mode). Default 60 s.
    /// </summary>
    public TimeSpan OriginBodyIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest wait between reconnect attempts (exponential backoff with jitter up to this). Default 30 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Requests the agent runs at once; more are refused as busy. Default 256.</summary>
    public int MaxConcurrentRequests { get; set; } = 256;

    /// <summary>
    /// On SIGTERM the agent refuses new requests (the caller gets 503) and lets running ones finish for up to this
    /// long before it disconnects. Default 30 s.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Hub connections the agent keeps open, all through <see cref="ServerUrl"/> (issue 12): behind a load balancer
    /// they land on different server nodes, so losing one node loses only the requests in flight on it. Default 2.
    /// </summary>
    public int Connections { get; set; } = 2;
}
