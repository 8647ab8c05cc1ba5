using Microsoft.AspNetCore.Http.HttpResults;
using Tunnel.Server.Hubs;
using Tunnel.Server.Registry;

namespace Tunnel.Server.Auth;

/// <summary>
/// <c>/auth/*</c>: the original's token routes plus revocation. Signature and magic tokens have their own
/// classes; every route authenticates through <see cref="RequestAuthorizer"/>, so the brute-force limit applies.
/// </summary>
internal static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/auth");
        group.MapPost("/register-client", RegisterClientAsync);
        group.MapDelete("/clients/{clientId}/tokens", RevokeClientAsync);
        group.MapSignatureTokens();
        group.MapMagicTokens();
        group.MapDeviceLinks();

        // HEAD on a tunnel route is the tunnel's to answer: it must neither reach a home server (through the
        // catch-all) nor create or use up a token. validate-signature-token answers every method itself.
        foreach (var (pattern, allow) in HeadRefused)
        {
            group.MapMethods(pattern, [HttpMethods.Head], (HttpContext context) => MethodNotAllowed(context, allow));
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
        AdminTokenCheck admin,
        RequestAuthorizer authorizer,
        ClientTokenStore tokens,
        CancellationToken cancellationToken)
    {
        if (!admin.IsConfigured)
        {
            return RegistrationClosed();
        }

        if (await authorizer.AuthorizeAdminAsync(context, "register-client") is { } refusal)
        {
            return refusal.ToProblem(context);
        }

        if (ClientIdRules.FromQuery(context.Request) is not { } clientId)
        {
            return AuthProblems.BadClientId();
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
        HttpContext context,
        AdminTokenCheck admin,
        RequestAuthorizer authorizer,
        ClientTokenStore accessTokens,
        SignatureTokenStore signatureTokens,
        MagicTokenStore magicTokens,
        ConnectedAgents agents,
        AgentRegistry registry,
        ILogger<RequestAuthorizer> logger,
        CancellationToken cancellationToken)
    {
        if (!admin.IsConfigured)
        {
            return RegistrationClosed();
        }

        if (await authorizer.AuthorizeAdminAsync(context, "revoke-client") is { } refusal)
        {
            return refusal.ToProblem(context);
        }

        if (!ClientIdRules.IsValid(clientId))
        {
            return AuthProblems.BadClientId();
        }

        var access = await accessTokens.RevokeAccessTokensAsync(clientId, cancellationToken);
        var signatures = await signatureTokens.RevokeAllAsync(clientId, cancellationToken);
        var magic = await magicTokens.RevokeAllAsync(clientId, cancellationToken);
        // Every node drops the client's connections once it finds their rows gone (Cluster/ClusterHeartbeatService);
        // this node drops its own at once.
        await registry.RemoveClientAsync(clientId, cancellationToken);
        var disconnected = false;
        foreach (var session in agents.All(clientId))
        {
            session.Abort();
            disconnected = true;
        }

        AuthLog.ClientRevoked(logger, clientId, access, signatures, magic, disconnected);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult RegistrationClosed() =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Client administration is closed",
            detail: "Set Tunnel:AdminToken (environment: Tunnel__AdminToken) to open it.");
}
