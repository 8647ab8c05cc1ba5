using Microsoft.AspNetCore.Http.HttpResults;

namespace Tunnel.Server.Auth;

/// <summary>
/// <c>/auth/*</c>: the original's token routes plus revocation. Signature and magic tokens have their own
/// classes; every route declares what it requires and <see cref="RouteAuthorizationFilter"/> checks it through
/// <see cref="RequestAuthorizer"/>, so the brute-force limit applies.
/// </summary>
internal static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/auth").RequireDeclaredAuthorization();
        group.MapPost("/register-client", RegisterClientAsync).Requires(RouteCredential.AdminToken, "register-client");
        group.MapDelete("/clients/{clientId}/tokens", RevokeClientAsync).Requires(RouteCredential.AdminToken, "revoke-client");
        group.MapSignatureTokens();
        group.MapMagicTokens();
        group.MapDeviceLinks();

        // HEAD on a tunnel route is the tunnel's to answer: it must neither reach a home server (through the
        // catch-all) nor create or use up a token. validate-signature-token answers every method itself.
        foreach (var (pattern, allow) in HeadRefused)
        {
            group.MapMethods(pattern, [HttpMethods.Head], (HttpContext context) => MethodNotAllowed(context, allow))
                .Requires(RouteCredential.None, "head");
        }

        return app;
    }

    private static readonly (string Pattern, string Allow)[] HeadRefused =
    [
        ("/register-client", "POST"),
        ("/clients/{clientId}/tokens", "DELETE"),
        ("/signature-token", "POST, DELETE"),
        ("/magic-token", "GET, POST"),
        ("/device-link", "POST"),
    ];

    private static ProblemHttpResult MethodNotAllowed(HttpContext context, string allow)
    {
        context.Response.Headers.Allow = allow;
        return TypedResults.Problem(statusCode: StatusCodes.Status405MethodNotAllowed, title: "Method not allowed",
            detail: $"This tunnel route takes {allow}.");
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> RegisterClientAsync(
        HttpContext context,
        ClientTokenStore tokens,
        CancellationToken cancellationToken)
    {
        if (ClientIdRules.FromQuery(context.Request) is not { } clientId)
        {
            return AuthProblems.BadClientId(context.Request);
        }

        var token = await tokens.CreateAccessTokenAsync(clientId, cancellationToken);
        return TypedResults.Ok(new TokenResponse(token));
    }

    /// <summary>
    /// Deletes all of a client's access, signature and magic tokens and disconnects its agent on this node; the
    /// agent's reconnects then fail with 401 until it is given a new token.
    /// </summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeClientAsync(
        string clientId,
        ClientRevocation revocation,
        CancellationToken cancellationToken)
    {
        if (!ClientIdRules.IsValid(clientId))
        {
            return AuthProblems.BadClientId();
        }

        await revocation.RevokeAsync(clientId, cancellationToken);
        return TypedResults.NoContent();
    }
}
