using Microsoft.Net.Http.Headers;

namespace Tunnel.Server.Auth;

/// <summary>
/// Decides whether a request may act for a client, for every authenticating HTTP route. Each decision first asks
/// the <see cref="FailedAuthLimiter"/> (429 while the caller's address is over its limit), then checks the
/// credential the route accepts, and charges the address for a wrong one.
/// </summary>
internal sealed class RequestAuthorizer(
    ClientTokenStore clientTokens,
    SignatureTokenStore signatures,
    AdminTokenCheck admin,
    FailedAuthLimiter limiter,
    ILogger<RequestAuthorizer> logger)
{
    public const string SignatureParameter = "signature";

    /// <summary>
    /// A forwarded request: the client access token of <paramref name="clientId"/> in <c>Authorization</c> (with
    /// <c>Bearer</c> or bare, see <see cref="BearerToken"/>),
    /// or, on the media routes only (<see cref="MediaRoutes"/>), a signature token of that client in <c>signature</c>.
    /// </summary>
    /// <param name="target">The path and query that will be forwarded: what the media routes are matched against.</param>
    public Task<AuthRefusal?> AuthorizeForwardAsync(HttpContext context, string clientId, string target) =>
        DecideAsync(context, "forward", clientId, async ct =>
        {
            var bearer = await CheckBearerAsync(context, clientId, ct);
            if (bearer == CredentialVerdict.Valid || !MediaRoutes.Matches(context.Request.Method, target))
            {
                return bearer;
            }

            var signature = await CheckSignatureAsync(context, clientId, ct);
            return signature == CredentialVerdict.Missing ? bearer : signature;
        },
        "A client access token of this clientId is required (Authorization: Bearer <token>, or the bare token); media routes also take signature=<signature token>.");

    /// <summary>
    /// A remote app's live-updates WebSocket (<c>GET /ws</c>): a signature token of <paramref name="clientId"/> in
    /// <c>signature</c> (what browsers can send) or its client access token in <c>Authorization: Bearer</c>.
    /// </summary>
    public Task<AuthRefusal?> AuthorizeRelayAsync(HttpContext context, string clientId) =>
        DecideAsync(context, "relay", clientId, async ct =>
        {
            var signature = await CheckSignatureAsync(context, clientId, ct);
            if (signature == CredentialVerdict.Valid)
            {
                return signature;
            }

            var bearer = await CheckBearerAsync(context, clientId, ct);
            return bearer == CredentialVerdict.Missing ? signature : bearer;
        },
        "A valid signature token of this clientId (signature=<token>) or its client access token (Authorization: Bearer <token>) is required.",
        challenge: null);

    /// <summary>A route for the client itself: only its client access token.</summary>
    public Task<AuthRefusal?> AuthorizeClientAsync(HttpContext context, string route, string clientId) =>
        DecideAsync(context, route, clientId, ct => CheckBearerAsync(context, clientId, ct),
            "A client access token of this clientId is required (Authorization: Bearer <token>, or the bare token).");

    /// <summary>Only a signature token of <paramref name="clientId"/> in the <c>signature</c> query parameter.</summary>
    public Task<AuthRefusal?> AuthorizeSignatureAsync(HttpContext context, string route, string clientId) =>
        DecideAsync(context, route, clientId, ct => CheckSignatureAsync(context, clientId, ct),
            "A valid, unexpired signature token of this clientId is required (signature=<token>).", challenge: null);

    /// <summary>The server-wide admin token.</summary>
    public Task<AuthRefusal?> AuthorizeAdminAsync(HttpContext context, string route) =>
        DecideAsync(context, route, null, _ => Task.FromResult(
                BearerToken.Read(context.Request) is { } token ? admin.IsAdmin(token) ? CredentialVerdict.Valid : CredentialVerdict.Invalid
                : HasAuthorizationHeader(context) ? CredentialVerdict.Invalid : CredentialVerdict.Missing),
            "A valid admin token is required (Authorization: Bearer <admin token>, or the bare token).");

    /// <summary>
    /// The common frame: the rate limit before the check, a log line and a charge after a refusal. Null means
    /// authorised.
    /// </summary>
    public async Task<AuthRefusal?> DecideAsync(
        HttpContext context,
        string route,
        string? clientId,
        Func<CancellationToken, Task<CredentialVerdict>> check,
        string detail,
        string? challenge = "Bearer")
    {
        var address = FailedAuthLimiter.PartitionKey(context);
        if (limiter.RetryAfter(context) is { } after)
        {
            AuthLog.RateLimited(logger, route, address, AuthRefusal.RetryAfterSeconds(after));
            return AuthRefusal.TooManyFailures(after);
        }

        var verdict = await check(context.RequestAborted);
        if (verdict == CredentialVerdict.Valid)
        {
            return null;
        }

        if (verdict == CredentialVerdict.Invalid)
        {
            limiter.RecordFailure(context);
        }

        // Admin routes and magic-token use name no client before the check.
        AuthLog.Refused(logger, route, clientId ?? "(none)", address, verdict == CredentialVerdict.Missing ? "no credential" : "wrong credential");
        return AuthRefusal.Unauthorized(detail, challenge);
    }

    private async Task<CredentialVerdict> CheckBearerAsync(HttpContext context, string clientId, CancellationToken cancellationToken)
    {
        var token = BearerToken.Read(context.Request);
        if (token is null)
        {
            return HasAuthorizationHeader(context) ? CredentialVerdict.Invalid : CredentialVerdict.Missing;
        }

        return await clientTokens.IsAccessTokenOfAsync(clientId, token, cancellationToken) ? CredentialVerdict.Valid : CredentialVerdict.Invalid;
    }

    private async Task<CredentialVerdict> CheckSignatureAsync(HttpContext context, string clientId, CancellationToken cancellationToken)
    {
        var values = context.Request.Query[SignatureParameter];
        if (values.Count == 0)
        {
            return CredentialVerdict.Missing;
        }

        if (values.Count > 1 || values[0] is not { } signature)
        {
            return CredentialVerdict.Invalid;
        }

        return await signatures.IsValidAsync(clientId, signature, cancellationToken) ? CredentialVerdict.Valid : CredentialVerdict.Invalid;
    }

    private static bool HasAuthorizationHeader(HttpContext context) => context.Request.Headers[HeaderNames.Authorization].Count > 0;
}
