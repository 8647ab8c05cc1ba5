using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Tunnel.Contracts.Hubs;
using Tunnel.Server.Auth;

namespace Tunnel.Server.Hubs;

/// <summary>
/// Authenticates an agent before the WebSocket is accepted: the clientId in the query and a client access token of
/// exactly that client in <c>Authorization</c> (<c>Bearer</c> or bare, see <see cref="BearerToken"/>). A signature or
/// magic token never passes. Nothing is written for a refused agent. Wrong tokens count against the caller's address
/// (<see cref="FailedAuthLimiter"/>); over the limit the upgrade is answered 429 with <c>Retry-After</c>. A home
/// server still running MoosicBox's own sender (a signature, no <c>Authorization</c>) is refused uncharged and its
/// operator told what to do, once an hour (<see cref="LegacySenderNotices"/>).
/// </summary>
internal sealed class AgentAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ClientTokenStore tokens,
    FailedAuthLimiter limiter,
    LegacySenderNotices legacySenders)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "AgentToken";
    public const string ClientIdClaim = "tunnel:client_id";

    private TimeSpan? _retryAfter;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // The only scheme is also the default one, so UseAuthentication runs it for every request; it speaks only
        // for the hub. Elsewhere (an admin token on /auth/register-client) it must neither refuse nor count a failure.
        if (!Request.Path.StartsWithSegments(HubPaths.Tunnel))
        {
            return AuthenticateResult.NoResult();
        }

        if (limiter.RetryAfter(Context) is { } after)
        {
            _retryAfter = after;
            return AuthenticateResult.Fail("Too many failed authentication attempts from this address.");
        }

        var clientIds = Request.Query[HubPaths.ClientIdParameter];
        if (clientIds.Count != 1 || !ClientIdRules.IsValid(clientIds[0]))
        {
            return AuthenticateResult.Fail(ClientIdRules.Problem(clientIds));
        }

        var clientId = clientIds[0]!;
        var token = BearerToken.Read(Request);
        if (token is null)
        {
            if (Request.Headers.Authorization.Count > 0)
            {
                // A credential was presented but is none of ours (another scheme, several values): a wrong one.
                limiter.RecordFailure(Context);
                HubLog.AgentRefused(Logger, clientId);
                return AuthenticateResult.Fail("The token is not a client access token of this client.");
            }

            if (Request.Query.ContainsKey(RequestAuthorizer.SignatureParameter)
                && legacySenders.ShouldNotify(clientId))
            {
                HubLog.LegacySenderRefused(Logger, clientId, FailedAuthLimiter.PartitionKey(Context));
            }

            return AuthenticateResult.Fail("A client access token is required.");
        }

        if (!await tokens.IsAccessTokenOfAsync(clientId, token, Context.RequestAborted))
        {
            limiter.RecordFailure(Context);
            HubLog.AgentRefused(Logger, clientId);
            return AuthenticateResult.Fail("The token is not a client access token of this client.");
        }

        var identity = new ClaimsIdentity([new Claim(ClientIdClaim, clientId)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (_retryAfter is { } after)
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = AuthRefusal.RetryAfterSeconds(after);
            return Task.CompletedTask;
        }

        return base.HandleChallengeAsync(properties);
    }
}
